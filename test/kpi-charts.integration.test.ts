/**
 * The KPI charts (issue #15), on both engines: records seeded on either side of a week's edge in
 * Beijing time (Monday 00:00 +08:00 is Sunday 16:00 UTC), read through GET /kpis/charts with the
 * request clock fixed, and each chart's counts checked exactly; who may read them, audited.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { uuidv7 } from "../src/platform/ids.js";
import type { Services } from "../src/platform/services.js";
import { openIncident } from "../src/response/incidents/incident-commands.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { insertClientRequest } from "./support/requests.js";

/** Wednesday 16 July 2025, 12:00 in Beijing: the current week is 2025-W29 (Monday 14 July). */
const NOW = "2025-07-16T04:00:00.000Z";
const TODAY = "2025-07-16";
/** Monday 7 July 2025, 00:00 in Beijing: 2025-W28 begins. */
const EDGE = "2025-07-06T16:00:00.000Z";
const JUST_BEFORE = "2025-07-06T15:59:59.999Z";
const WEEKS = ["2025-W26", "2025-W27", "2025-W28", "2025-W29"];

for (const dialect of DIALECTS) {
  describe(`${dialect}: KPI charts`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, partner: TestUser, lawyer: TestUser;

    const call = (url: string, user: TestUser) => app.inject({ method: "GET", url: `/api/v1${url}`, headers: auth(user.token) });
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const append = (at: string, event: AuditEventInput) => services.engine.db.transaction().execute((tx) => services.auditLog.append(tx, [event], at));

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services, { clientRequests: { now: () => new Date(NOW) } })).app;
      compliance = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      const clientId = (await buildClient(services, partner.actor)).id;
      const db_ = services.engine.db;

      // Reads of client data, and what is not one (a matter read) or falls outside the weeks.
      const read = (at: string, e: Partial<AuditEventInput> & Pick<AuditEventInput, "action" | "outcome">) =>
        append(at, { actorId: lawyer.actor.userId, actorRole: "lawyer", targetType: "client", targetId: clientId, purpose: "case-handling", ...e });
      for (let i = 0; i < 3; i++) await read("2025-07-08T02:00:00.000Z", { action: "client.read", outcome: "success" });
      for (let i = 0; i < 2; i++)
        await read("2025-07-01T02:00:00.000Z", { action: "client.list_item", outcome: "success", actorRole: "paralegal", purpose: "billing" });
      await read("2025-07-15T02:00:00.000Z", { action: "document.download", outcome: "success", targetType: "document" });
      await read("2025-07-15T03:00:00.000Z", {
        action: "client.read",
        outcome: "success",
        actorRole: "partner",
        reason: "break_glass",
        details: { via: "break_glass" },
      });
      await read(JUST_BEFORE, { action: "client.read", outcome: "denied", reason: "not_on_matter" });
      await read(EDGE, { action: "client.read", outcome: "denied", reason: "not_on_matter" });
      await read("2025-07-09T02:00:00.000Z", { action: "client.export", outcome: "success", actorRole: "partner", details: { grantId: uuidv7() } });
      await read("2025-07-09T03:00:00.000Z", { action: "client.export", outcome: "denied", reason: "approval_required" });
      await read("2025-07-09T04:00:00.000Z", { action: "matter.read", outcome: "success", targetType: "matter" });
      await read("2025-06-22T15:59:59.999Z", { action: "client.read", outcome: "success" }); // Sunday before 2025-W26

      // Alerts: a detection alert on either side of the edge, a wall-breach record (high), one low, one before the weeks.
      // Detection may have raised its own on the reads above (a Sunday-night read is off hours): only these count.
      await db_.deleteFrom("alerts").execute();
      const alert = (createdAt: string, severity: string | null, kind = "detection") =>
        db_
          .insertInto("alerts")
          .values({
            id: uuidv7(),
            kind,
            user_id: lawyer.actor.userId,
            wall_id: null,
            event_seq: null,
            created_at: createdAt,
            status: "new",
            severity,
            rule_code: severity ? "bulk_read" : null,
          })
          .execute();
      await alert(JUST_BEFORE, "high");
      await alert(EDGE, "high");
      await alert("2025-07-14T02:00:00.000Z", null, "wall_breach_attempt");
      await alert("2025-06-24T02:00:00.000Z", "low");
      await alert("2025-05-31T02:00:00.000Z", "critical");

      // Incidents, graded from their impact: medium (10 people) just before the edge, critical (1000, L4, left the firm) on it.
      const incident = (awareAt: string, peopleAffected: number, severe: boolean) =>
        openIncident(services, contextFor(compliance.actor, null), {
          source: "staff_report",
          category: "disclosure",
          cause: "misdirected_disclosure",
          measures: [],
          peopleAffected,
          l4Involved: severe,
          leftFirm: severe,
          euSubjects: false,
          awareAt,
          contact: "privacy@firm.test",
        });
      await incident(JUST_BEFORE, 10, false);
      await incident(EDGE, 1000, true);

      // Open requests around today (16 July), an extended one, and a closed one (not counted).
      const request = (due: string, status = "in_progress", extendedDue: string | null = null) =>
        insertClientRequest(services, { clientId, due, status, extendedDue });
      await request("2025-07-15"); // overdue
      await request(TODAY); // due within 3 days
      await request("2025-07-19"); // due within 3 days (the third day)
      await request("2025-07-20"); // within 7
      await request("2025-07-23"); // within 7 (the seventh day)
      await request("2025-07-24"); // later
      await request("2025-07-09", "extended", "2025-08-09"); // extended: later
      await request("2025-06-30", "fulfilled"); // closed
    });

    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("counts each chart exactly, per ISO week bounded in Beijing time", async () => {
      const res = await call("/kpis/charts?weeks=4", compliance);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.timeZone).toBe("Asia/Shanghai");
      expect(body.asOf).toBe(NOW);
      expect(body.weeks.map((w: { label: string }) => w.label)).toEqual(WEEKS);
      expect(body.weeks[2]).toEqual({ label: "2025-W28", firstDay: "2025-07-07", endDay: "2025-07-14", from: EDGE, to: "2025-07-13T16:00:00.000Z" });

      expect(body.requestsByDeadline).toEqual([
        { bucket: "overdue", count: 1 },
        { bucket: "due_3_days", count: 2 },
        { bucket: "due_7_days", count: 2 },
        { bucket: "later", count: 2 },
      ]);
      expect(body.alertsBySeverity).toEqual([
        { severity: "low", counts: [1, 0, 0, 0] },
        { severity: "medium", counts: [0, 0, 0, 0] },
        { severity: "high", counts: [0, 1, 1, 1] },
        { severity: "critical", counts: [0, 0, 0, 0] },
      ]);
      expect(body.incidentsBySeverity).toEqual([
        { severity: "low", counts: [0, 0, 0, 0] },
        { severity: "medium", counts: [0, 1, 0, 0] },
        { severity: "high", counts: [0, 0, 0, 0] },
        { severity: "critical", counts: [0, 0, 1, 0] },
      ]);
      // Successful reads: 3 reads, 2 list rows, 1 download, 1 break-glass read, 1 export.
      expect(body.accessByPurpose).toEqual([
        { purpose: "case-handling", count: 6 },
        { purpose: "billing", count: 2 },
      ]);
      expect(body.accessByRole).toEqual([
        { role: "lawyer", count: 4 },
        { role: "paralegal", count: 2 },
        { role: "partner", count: 2 },
      ]);
      expect(body.deniedReads).toEqual([0, 1, 2, 0]);
      expect(body.breakGlassReads).toEqual([0, 0, 0, 1]);
      // Sensitive operations: the read refused as outside one's matters (W27); in W28 one more, an
      // export under a grant and one refused for want of one; the break-glass read in W29.
      expect(body.approvalCompliance.target).toBe(1);
      expect(body.approvalCompliance.points).toEqual([
        { value: null, numerator: 0, denominator: 0, met: null },
        { value: 0, numerator: 0, denominator: 1, met: false },
        { value: 1 / 3, numerator: 1, denominator: 3, met: false },
        { value: 0, numerator: 0, denominator: 1, met: false },
      ]);

      const event = await lastEvent(compliance.actor.userId);
      expect(event).toMatchObject({ action: "kpi.read", outcome: "success", target_type: "kpi" });
      expect(JSON.parse(event.details!)).toEqual({ view: "charts", weeks: 4, from: "2025-W26", until: "2025-W29" });
    });

    it("defaults to 12 weeks and refuses a bad count with a field error", async () => {
      const res = await call("/kpis/charts", partner);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().weeks).toHaveLength(12);
      expect(res.json().weeks.at(-1).label).toBe("2025-W29");
      const bad = await call("/kpis/charts?weeks=53", partner);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields[0].field).toBe("weeks");
    });

    it("is documented in the OpenAPI document with its query and answers", async () => {
      const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      const op = doc.paths["/api/v1/kpis/charts"].get;
      expect(op).toMatchObject({ tags: ["kpis"], summary: expect.any(String) });
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(["weeks"]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "403"]));
    });

    it("refuses a role without kpi.read, and audits the refusal", async () => {
      const res = await call("/kpis/charts", lawyer);
      expect([res.statusCode, res.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "kpi.read", outcome: "denied", reason: "role_lacks_permission", details: null });
    });
  });
}
