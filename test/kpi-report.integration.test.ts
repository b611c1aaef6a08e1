/**
 * KPIs and the quarterly report (issue #14, GOV-6), on both engines: records seeded so that each KPI
 * of 2026-Q3 has a known value; the figures through the API, the trend, the targets, who may read
 * and edit them (audited), and the report as PDF (rendered with pdftoppm, read with pdftotext) and
 * as XLSX (read back with exceljs), through the API and the CLI.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import ExcelJS from "exceljs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addKpiCommands } from "../src/governance/kpis/kpis-cli.js";
import { uuidv7 } from "../src/platform/ids.js";
import type { Services } from "../src/platform/services.js";
import { openIncident } from "../src/response/incidents/incident-commands.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { multipart } from "./support/multipart.js";
import { insertClientRequest } from "./support/requests.js";

const QUARTER = "2026-Q3";
const PURPOSE = "case-handling";

/** What the seeded records make of each KPI in 2026-Q3: numerator / denominator and the records listed. */
const EXPECTED = {
  approval_compliance: { numerator: 4, denominator: 5, records: 5, percent: "80%" },
  leak_incident_rate: { numerator: 1, denominator: 4, records: 1, percent: "25%" },
  encryption_coverage: { numerator: 5, denominator: 6, records: 6, percent: "83.33%" },
  requests_on_time: { numerator: 3, denominator: 5, records: 5, percent: "60%" },
  access_review_completion: { numerator: 2, denominator: 5, records: 5, percent: "40%" },
} as const;
type SeededCode = keyof typeof EXPECTED;
const SEEDED = Object.keys(EXPECTED) as SeededCode[];

for (const dialect of DIALECTS) {
  describe(`${dialect}: KPIs, trend and the quarterly report`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, partner: TestUser, auditor: TestUser, lawyer: TestUser;
    let work: string;
    const leakId = { value: "" };

    const call = (method: "GET" | "PUT" | "POST", url: string, user: TestUser, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, PURPOSE), ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const db_ = () => services.engine.db;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      work = mkdtempSync(join(tmpdir(), "custodia-kpi-"));
      compliance = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      auditor = await buildUser(services, "auditor");
      lawyer = await buildUser(services, "lawyer");

      // Clients: four on record through Q3, one erased before it began (not counted anywhere).
      const clients: string[] = [];
      for (let i = 0; i < 5; i++) clients.push((await buildClient(services, partner.actor)).id);
      await db_().updateTable("clients").set({ created_at: "2026-06-15T02:00:00.000Z" }).where("id", "in", clients).execute();
      await db_()
        .updateTable("clients")
        .set({ created_at: "2026-05-01T02:00:00.000Z", erased_at: "2026-06-20T02:00:00.000Z" })
        .where("id", "=", clients[4]!)
        .execute();

      // Files: two uploaded for the first client; one then has its title stored in plaintext (a faulty fix in SQL).
      const docs: string[] = [];
      for (const name of ["a.txt", "b.txt"]) {
        const body = multipart({ title: `Memo ${name}`, category: "other" }, { filename: name, content: Buffer.from(`memo ${name}\n`) });
        const res = await app.inject({
          method: "POST",
          url: `/api/v1/clients/${clients[0]}/documents`,
          headers: { ...auth(partner.token, PURPOSE), ...body.headers },
          payload: body.payload,
        });
        expect(res.statusCode, res.body).toBe(201);
        docs.push(res.json().id);
      }
      await db_().updateTable("documents").set({ created_at: "2026-07-02T02:00:00.000Z" }).where("id", "in", docs).execute();
      await db_()
        .updateTable("documents")
        .set({ title_ct: Buffer.from("Memo in plaintext") })
        .where("id", "=", docs[1]!)
        .execute();

      // Sensitive operations, recorded in the audit log at times in Q3: 4 of 5 under a grant; one outside the quarter.
      const ops: { at: string; action: string; outcome: "success" | "denied"; reason?: string; details: Record<string, string> }[] = [
        { at: "2026-07-03T03:00:00.000Z", action: "client.export", outcome: "success", details: { grantId: uuidv7() } },
        { at: "2026-08-03T03:00:00.000Z", action: "client.export", outcome: "success", details: { grantId: uuidv7() } },
        { at: "2026-09-03T03:00:00.000Z", action: "client.export", outcome: "success", details: { grantId: uuidv7() } },
        { at: "2026-09-04T03:00:00.000Z", action: "client.export", outcome: "denied", reason: "approval_required", details: {} },
        { at: "2026-09-05T03:00:00.000Z", action: "client.read", outcome: "success", details: { via: "grant" } },
        { at: "2026-10-05T03:00:00.000Z", action: "client.export", outcome: "denied", reason: "approval_required", details: {} },
      ];
      for (const op of ops)
        await db_()
          .transaction()
          .execute((tx) =>
            services.auditLog.append(
              tx,
              [
                {
                  action: op.action,
                  outcome: op.outcome,
                  reason: op.reason ?? null,
                  actorId: lawyer.actor.userId,
                  actorRole: "lawyer",
                  targetType: "client",
                  targetId: clients[1]!,
                  purpose: PURPOSE,
                  details: op.details,
                },
              ],
              op.at,
            ),
          );

      // Incidents: one leak in Q3 (data left the firm, people affected), one that stayed inside, one leak in Q2.
      const incident = (awareAt: string, leftFirm: boolean) =>
        openIncident(services, contextFor(compliance.actor, null), {
          source: "staff_report",
          category: "disclosure",
          cause: "misdirected_disclosure",
          measures: [],
          peopleAffected: 3,
          l4Involved: false,
          leftFirm,
          euSubjects: false,
          awareAt,
          contact: "privacy@firm.test",
        });
      leakId.value = (await incident("2026-08-12T04:00:00.000Z", true)).id;
      await incident("2026-08-13T04:00:00.000Z", false);
      await incident("2026-06-13T04:00:00.000Z", true);

      // Client requests: judged in the period their (extended) deadline falls in, in Beijing time.
      const request = (due: string, status: string, closedAt: string | null, extendedDue: string | null = null) =>
        insertClientRequest(services, { clientId: clients[2]!, due, status, closedAt, extendedDue, receivedAt: "2026-07-01T02:00:00.000Z" });
      await request("2026-08-10", "fulfilled", "2026-08-05T02:00:00.000Z"); // on time
      await request("2026-08-20", "fulfilled", "2026-09-15T02:00:00.000Z", "2026-09-20"); // on time, extended
      await request("2026-09-01", "fulfilled", "2026-09-03T02:00:00.000Z"); // late
      await request("2026-09-25", "in_progress", null); // overdue, still open
      await request("2026-09-30", "refused", "2026-09-30T15:30:00.000Z"); // 23:30 in Beijing on the due day: on time
      await request("2026-10-10", "fulfilled", "2026-10-01T02:00:00.000Z"); // due in Q4

      // Access reviews: a campaign due 2026-09-15 (2 of 5 items complete by then) and one due in Q4.
      const campaign = async (dueOn: string) => {
        const id = uuidv7();
        await db_()
          .insertInto("access_review_campaigns")
          .values({
            id,
            name_ct: "sealed",
            due_on: dueOn,
            status: "open",
            started_by: compliance.actor.userId,
            started_at: "2026-07-01T02:00:00.000Z",
            closed_by: null,
            closed_at: null,
            close_reason: null,
          })
          .execute();
        return id;
      };
      const item = (campaignId: string, decision: string | null, decidedAt: string | null) =>
        db_()
          .insertInto("access_review_items")
          .values({
            id: uuidv7(),
            campaign_id: campaignId,
            kind: "role",
            subject_user_id: lawyer.actor.userId,
            reviewer_id: partner.actor.userId,
            reviewer_pool: "user",
            matter_id: null,
            grant_id: null,
            client_id: null,
            access: "lawyer",
            decision,
            reason_code: decision ? "still_needed" : null,
            decided_by: decision ? partner.actor.userId : null,
            decided_at: decidedAt,
            effect: null,
          })
          .execute();
      const q3 = await campaign("2026-09-15");
      await item(q3, "keep", "2026-09-10T02:00:00.000Z");
      await item(q3, "revoke", "2026-09-15T20:00:00.000Z"); // the due day, UTC: on time
      await item(q3, "revoke", "2026-09-16T02:00:00.000Z"); // late
      await item(q3, "not_reviewed", "2026-09-20T02:00:00.000Z");
      await item(q3, null, null); // pending past the due date
      await item(await campaign("2026-12-31"), null, null);
    });

    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it("computes each KPI of the quarter from the records it counts, with the records behind it", async () => {
      const res = await call("GET", `/kpis?period=${QUARTER}`, auditor);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.period).toMatchObject({ label: QUARTER, kind: "quarter", from: "2026-06-30T16:00:00.000Z", to: "2026-09-30T16:00:00.000Z" });
      expect(body.timeZone).toBe("Asia/Shanghai");
      const byCode = Object.fromEntries(body.kpis.map((k: { code: string }) => [k.code, k])) as Record<
        string,
        Record<string, unknown> & { records: { counted: boolean; type: string; id: string; reference: string }[] }
      >;
      for (const code of SEEDED) {
        const e = EXPECTED[code];
        const k = byCode[code]!;
        expect(k, code).toMatchObject({ numerator: e.numerator, denominator: e.denominator, recordsTotal: e.records });
        expect(k.value, code).toBeCloseTo(e.numerator / e.denominator, 10);
        expect(k.records.filter((r) => r.counted).length, code).toBe(code === "leak_incident_rate" ? e.records : e.numerator);
        // Problems first: the records that are not counted lead the list.
        expect(
          k.records.findIndex((r) => r.counted),
          code,
        ).toBe(k.records.filter((r) => !r.counted).length);
      }
      expect(byCode.approval_compliance).toMatchObject({ target: 1, direction: "at_least", met: false });
      expect(byCode.leak_incident_rate).toMatchObject({ target: 0.005, direction: "at_most", met: false });
      expect(byCode.leak_incident_rate!.records).toEqual([expect.objectContaining({ type: "incident", id: leakId.value, counted: true })]);
      expect(byCode.encryption_coverage!.records.filter((r) => !r.counted)).toEqual([
        expect.objectContaining({ type: "document", counted: false, detail: "text_not_sealed" }),
      ]);
      expect(byCode.requests_on_time!.records.map((r) => (r as unknown as { detail: string }).detail).sort()).toEqual([
        "closed_late",
        "on_time",
        "on_time",
        "on_time",
        "overdue_open",
      ]);
      // Training and acknowledgements come from the training module; nothing was assigned or published by the end of Q3.
      expect(byCode.training_completion).toMatchObject({ numerator: 0, denominator: 0, value: null, met: null });
      // Every active staff member must acknowledge the staff NDA; the test users did so only now, after Q3.
      const staff = Number(
        (
          await db_()
            .selectFrom("users")
            .select((eb) => eb.fn.countAll<string | number>().as("n"))
            .where("status", "=", "active")
            .executeTakeFirstOrThrow()
        ).n,
      );
      expect(byCode.acknowledgement_completion).toMatchObject({ numerator: 0, denominator: staff, met: false });
      const current = (await call("GET", "/kpis", auditor)).json();
      expect(current.period.kind).toBe("month");
      expect(current.kpis.find((k: { code: string }) => k.code === "acknowledgement_completion")).toMatchObject({
        numerator: staff,
        denominator: staff,
        met: true,
      });
      // References and records carry no personal data.
      expect(res.body).not.toContain("王小明");
      expect(res.body).not.toContain("Memo");
      const event = await services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("actor_id", "=", auditor.actor.userId)
        .where("action", "=", "kpi.read")
        .orderBy("seq")
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(event).toMatchObject({ action: "kpi.read", outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ view: "figures", period: QUARTER, approval_compliance: "4/5", requests_on_time: "3/5" });
    });

    it("gives the monthly trend for the last 12 months and the quarterly trend, computed from the same records", async () => {
      const monthly = await call("GET", "/kpis/trend?by=month&until=2026-09", partner);
      expect(monthly.statusCode, monthly.body).toBe(200);
      const m = monthly.json();
      expect(m.periods).toHaveLength(12);
      expect(m.periods.at(-1)).toBe("2026-09");
      const series = (t: { series: { code: string; points: { period: string; numerator: number; denominator: number }[] }[] }, code: string) =>
        t.series.find((s) => s.code === code)!.points;
      const approval = series(m, "approval_compliance");
      expect(approval.filter((p) => ["2026-07", "2026-08", "2026-09"].includes(p.period)).map((p) => [p.numerator, p.denominator])).toEqual([
        [1, 1],
        [1, 1],
        [2, 3],
      ]);
      expect(series(m, "requests_on_time").find((p) => p.period === "2026-09")).toMatchObject({ numerator: 2, denominator: 4 });
      const quarterly = await call("GET", "/kpis/trend?by=quarter&until=2026-Q3&count=4", partner);
      const q = quarterly.json();
      expect(q.periods).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", QUARTER]);
      for (const code of SEEDED)
        expect(series(q, code).at(-1), code).toMatchObject({ numerator: EXPECTED[code].numerator, denominator: EXPECTED[code].denominator });
      expect(series(q, "leak_incident_rate").find((p) => p.period === "2026-Q2")).toMatchObject({ numerator: 1 });
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "kpi.read", outcome: "success" });
      const bad = await call("GET", "/kpis/trend?by=quarter&until=2026-09", partner);
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, "validation_error"]);
    });

    it("refuses the KPIs to a lawyer and a target change to a partner, audited; compliance edits a target", async () => {
      const read = await call("GET", "/kpis", lawyer);
      expect([read.statusCode, read.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "kpi.read", outcome: "denied" });
      const report = await call("GET", `/kpis/reports/quarterly?quarter=${QUARTER}`, lawyer);
      expect(report.statusCode).toBe(403);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "kpi.report", outcome: "denied" });
      const refused = await call("PUT", "/kpis/targets/leak_incident_rate", partner, { target: 0.3 });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(partner.actor.userId)).toMatchObject({ action: "kpi.target", outcome: "denied", target_id: "leak_incident_rate" });
      const tooBig = await call("PUT", "/kpis/targets/leak_incident_rate", compliance, { target: 3 });
      expect(tooBig.statusCode).toBe(400);
      const set = await call("PUT", "/kpis/targets/leak_incident_rate", compliance, { target: 0.3 });
      expect(set.statusCode, set.body).toBe(200);
      expect(set.json()).toMatchObject({ code: "leak_incident_rate", target: 0.3, direction: "at_most", updatedBy: compliance.actor.userId });
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "kpi.target", outcome: "success" });
      const after = (await call("GET", `/kpis?period=${QUARTER}`, compliance)).json();
      expect(after.kpis.find((k: { code: string }) => k.code === "leak_incident_rate")).toMatchObject({ target: 0.3, met: true });
      const targets = (await call("GET", "/kpis/targets", auditor)).json();
      expect(targets.items).toHaveLength(7);
      await call("PUT", "/kpis/targets/leak_incident_rate", compliance, { target: 0.005 });
    });

    it("writes the quarterly PDF: it renders, and its text shows each KPI's figures (Chinese by default, English on request)", async () => {
      for (const lang of ["zh", "en"] as const) {
        const res = await call("GET", `/kpis/reports/quarterly?quarter=${QUARTER}&format=pdf${lang === "en" ? "&lang=en" : ""}`, compliance);
        expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
        expect(res.headers["content-type"]).toBe("application/pdf");
        expect(res.headers["content-disposition"]).toContain(`custodia-kpi-${QUARTER}.pdf`);
        const pdf = join(work, `report-${lang}.pdf`);
        await import("node:fs/promises").then((fs) => fs.writeFile(pdf, res.rawPayload));
        execFileSync("/usr/bin/pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", pdf, join(work, `page-${lang}`)]);
        const png = readFileSync(join(work, `page-${lang}-1.png`));
        expect(png.subarray(1, 4).toString()).toBe("PNG");
        expect(statSync(join(work, `page-${lang}-1.png`)).size).toBeGreaterThan(1000);
        const text = execFileSync("/usr/bin/pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
        expect(text).toContain(lang === "zh" ? "隐私合规指标季度报告" : "Quarterly privacy KPI report");
        expect(text).toContain(lang === "zh" ? "审批合规率" : "Approval compliance");
        for (const code of SEEDED) {
          expect(text, code).toContain(`${EXPECTED[code].numerator}/${EXPECTED[code].denominator}`);
          expect(text, code).toContain(EXPECTED[code].percent);
        }
        expect(text).toContain(lang === "zh" ? "未达标" : "not met");
      }
      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "kpi.report", outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ quarter: QUARTER, format: "pdf", encryption_coverage: "5/6" });
    });

    it("writes the quarterly XLSX: a summary sheet and one sheet of records per KPI, matching the figures", async () => {
      const res = await call("GET", `/kpis/reports/quarterly?quarter=${QUARTER}&format=xlsx&lang=en`, auditor);
      expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const summary = book.getWorksheet("summary")!;
      const rows = new Map<string, unknown[]>();
      summary.eachRow((row) => {
        const values = (row.values as unknown[]).slice(1);
        if (typeof values[0] === "string") rows.set(values[0], values);
      });
      for (const code of SEEDED) {
        const e = EXPECTED[code];
        const row = rows.get(code)!;
        expect(row, code).toBeDefined();
        expect(row.slice(2, 5), code).toEqual([e.percent, e.numerator, e.denominator]);
        expect(row[7], code).toBe(e.records);
        const sheet = book.getWorksheet(code)!;
        expect(sheet.rowCount - 1, code).toBe(e.records);
      }
      expect(book.getWorksheet("encryption_coverage")!.getRow(2).values).toEqual(expect.arrayContaining(["document", "not met", "text_not_sealed"]));
      expect(book.getWorksheet("trend")!.rowCount).toBe(8);
    });

    it("custodia kpis report --quarter --format pdf --out, and kpis show, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addKpiCommands(program);
        return program.parseAsync(["kpis", ...args, "--json"], { from: "user" });
      };
      const file = join(work, "cli.pdf");
      try {
        await cli("report", "--quarter", QUARTER, "--format", "pdf", "--out", file);
        expect(JSON.parse(out.at(-1)!)).toMatchObject({ out: file, mediaType: "application/pdf" });
        await cli("show", "--period", QUARTER);
        const shown = JSON.parse(out.at(-1)!);
        expect(shown.kpis.find((k: { code: string }) => k.code === "requests_on_time")).toMatchObject({ numerator: 3, denominator: 5 });
        await cli("report", "--quarter", "2026-13", "--out", file);
        expect(JSON.parse(out.at(-1)!).error).toMatchObject({ code: "validation_error" });
        expect(process.exitCode).toBe(1);
      } finally {
        process.exitCode = 0;
        log.mockRestore();
        process.env = saved;
      }
      const text = execFileSync("/usr/bin/pdftotext", [file, "-"], { encoding: "utf8" });
      expect(text).toContain("3/5");
      const events = await db_().selectFrom("audit_events").select(["action", "actor_id"]).where("action", "=", "kpi.report").execute();
      expect(events.some((e) => e.actor_id === "system:console")).toBe(true);
    });
  });
}
