/**
 * Self-assessments, findings, compliance audits, the PIA register and the inspection pack (issue
 * #14, GOV-3, GOV-4, AUD-3, PIPL Art 54–56) — on both engines, through the API: the control list
 * as data, evidence equal to what its sources count, four-eyes verification of findings, PIA
 * retention, the reminder job, the CLI, and a pack that carries no client's name or ID.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import type { FastifyInstance } from "fastify";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { computeApprovalCompliance } from "../src/access/approvals/approval-compliance.js";
import { startAccessReview } from "../src/access/reviews/access-review-commands.js";
import { createPolicy } from "../src/governance/policies/policy-register.js";
import { trainingCompletionFigures } from "../src/governance/training/training-completion.js";
import { addAssessmentCommands } from "../src/governance/assessments/assessments-cli.js";
import { deleteRegisteredPia } from "../src/governance/assessments/pia-register.js";
import type { JobContext } from "../src/governance/jobs/job.js";
import { jobNamed } from "../src/governance/jobs/job-registry.js";
import type { Services } from "../src/platform/services.js";
import { measureEncryptionCoverage } from "../src/records/inventory/encryption-coverage.js";
import { openIncident } from "../src/response/incidents/incident-commands.js";
import { localDate } from "../src/rights/requests/deadlines.js";
import { countOpenRequests } from "../src/rights/requests/request-store.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, buildTestServer } from "./support/http.js";
import { day } from "./support/partners.js";

/** A client whose name, ID number, phone and id must never appear in the inspection pack. */
const CANARY = { name: "司马金丝雀", idNumber: residentId("19770707"), phone: "13700004242", email: "canary.sima@example.cn" };

const PACK_FILES = [
  "01-assessment.csv",
  "01-assessment.json",
  "02-findings.csv",
  "02-findings.json",
  "03-compliance-audits.csv",
  "03-compliance-audits.json",
  "04-pia-register.csv",
  "04-pia-register.json",
  "05-policies.csv",
  "05-policies.json",
  "06-processing-inventory.csv",
  "06-processing-inventory.json",
  "07-retention-schedules.csv",
  "07-retention-schedules.json",
  "08-incidents.csv",
  "08-incidents.json",
  "09-audit-log-state.csv",
  "09-audit-log-state.json",
  "README.txt",
];

for (const dialect of DIALECTS) {
  describe(`${dialect}: self-assessments, findings, audits, PIAs and the inspection pack`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let compliance: TestUser, compliance2: TestUser, partner: TestUser, lawyer: TestUser, auditor: TestUser, admin: TestUser;
    let canaryId: string;
    let runId: string;
    let ownFindingId: string;
    let adminFindingId: string;

    const call = (method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE", url: string, user: TestUser, payload?: object, purpose?: string) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(user.token, purpose), ...(payload ? { payload } : {}) });
    const lastEvent = (actorId: string, action?: string) => {
      let q = services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId);
      if (action) q = q.where("action", "=", action);
      return q.orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    };
    const ok = async (res: Awaited<ReturnType<typeof call>>, status = 200) => {
      expect(res.statusCode, res.body).toBe(status);
      return res.json();
    };

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = (await buildTestServer(services)).app;
      compliance = await buildUser(services, "compliance");
      compliance2 = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      auditor = await buildUser(services, "auditor");
      admin = await buildUser(services, "admin");
      canaryId = (
        await buildClient(services, partner.actor, {
          name: CANARY.name,
          idNumber: CANARY.idNumber,
          phone: CANARY.phone,
          email: CANARY.email,
          birthDate: "1977-07-07",
        })
      ).id;
      // A lawyer on none of the canary's matters tries to read it: a sensitive operation without approval (APR-1).
      const read = await call("GET", `/clients/${canaryId}`, lawyer, undefined, "case-handling");
      expect(read.statusCode).toBeGreaterThanOrEqual(400);
      // An overdue access-review campaign (IAM-4).
      const campaign = await startAccessReview(services, contextFor(compliance.actor, null), { name: "Q3 review", dueOn: day(1) });
      // A campaign cannot start overdue; this one is made so by moving its deadline.
      await services.engine.db
        .updateTable("access_review_campaigns")
        .set({ due_on: day(-3) })
        .where("id", "=", campaign.id)
        .execute();
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("seeds the control list as data: requirement ids and PIPL articles, evidence sources, inapplicable ones marked", async () => {
      const { items } = await ok(await call("GET", "/assessments/controls", auditor));
      const byCode = new Map(items.map((c: { code: string }) => [c.code, c]));
      expect(byCode.get("ENC-1")).toMatchObject({
        area: "ENC",
        evidenceSource: "encryption_coverage",
        applicable: true,
        titleZh: expect.stringContaining("加密"),
      });
      expect(byCode.get("APR-1")).toMatchObject({ evidenceSource: "approval_compliance" });
      expect(byCode.get("IAM-4")).toMatchObject({ evidenceSource: "access_reviews" });
      expect(byCode.get("DSR-1")).toMatchObject({ evidenceSource: "overdue_requests" });
      expect(byCode.get("AUD-1")).toMatchObject({ evidenceSource: "audit_chain" });
      expect(byCode.get("GOV-3")).toMatchObject({ evidenceSource: null, applicable: true });
      expect(byCode.get("PIPL-58")).toMatchObject({ applicable: false, applicabilityNote: expect.any(String) });
      for (const art of ["PIPL-51", "PIPL-52", "PIPL-54", "PIPL-55", "PIPL-56", "PIPL-57"]) expect(byCode.has(art), art).toBe(true);
      expect(items.length).toBeGreaterThan(55);

      const refused = await call("GET", "/assessments/controls", lawyer);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "assessment.controls.read", outcome: "denied" });
      // Editing is compliance's; an unknown evidence source is refused.
      const bad = await call("PATCH", "/assessments/controls/GOV-6", compliance, { evidenceSource: "rm -rf" });
      expect(bad.statusCode).toBe(400);
      const edited = await ok(await call("PATCH", "/assessments/controls/GOV-6", compliance, { evidenceSource: "encryption_coverage" }));
      expect(edited).toMatchObject({ code: "GOV-6", evidenceSource: "encryption_coverage" });
      expect((await call("PATCH", "/assessments/controls/GOV-6", partner, { active: false })).statusCode).toBe(403);
      const added = await ok(
        await call("POST", "/assessments/controls", compliance, { code: "FIRM-1", area: "FIRM", titleZh: "前台访客登记", titleEn: "Visitor log" }),
        201,
      );
      expect(added).toMatchObject({ code: "FIRM-1", applicable: true, active: true });
    });

    it("snapshots evidence equal to what its sources count when a run starts", async () => {
      const planned = await ok(
        await call("POST", "/assessments/runs", compliance, {
          kind: "quarterly",
          plannedOn: day(0),
          scope: ["ENC", "APR", "DSR", "IAM", "AUD", "PIPL", "GOV", "TRN"],
          assessorId: compliance.actor.userId,
        }),
        201,
      );
      runId = planned.id;
      expect(planned).toMatchObject({ status: "planned", previousRunId: null, results: [] });
      const bad = await call("POST", "/assessments/runs", compliance, { kind: "monthly", plannedOn: day(0), assessorId: compliance.actor.userId });
      expect(bad.statusCode).toBe(400);
      const unknownArea = await call("POST", "/assessments/runs", compliance, {
        kind: "ad_hoc",
        plannedOn: day(0),
        scope: ["XYZ"],
        assessorId: compliance.actor.userId,
      });
      expect([unknownArea.statusCode, unknownArea.json().error.fields[0].code]).toEqual([400, "unknown_area"]);

      const at = new Date();
      const run = await ok(await call("POST", `/assessments/runs/${runId}/start`, compliance));
      expect(run.status).toBe("in_progress");
      const evidence = (code: string) => run.results.find((r: { code: string }) => r.code === code);
      // What the sources themselves count, read right after.
      const truth = await services.engine.db.transaction().execute(async (tx) => ({
        coverage: await measureEncryptionCoverage(tx),
        approval: await computeApprovalCompliance(tx, { from: new Date(at.getTime() - 90 * 86_400_000).toISOString(), to: new Date().toISOString() }),
        requests: await countOpenRequests(tx, localDate(new Date(), "Asia/Shanghai")),
        campaigns: await tx.selectFrom("access_review_campaigns").select(["id", "status"]).execute(),
        pendingItems: await tx.selectFrom("access_review_items").select("id").where("decision", "is", null).execute(),
        checkpoint: await tx.selectFrom("audit_checkpoints").select(["seq"]).orderBy("seq", "desc").limit(1).executeTakeFirst(),
        training: await trainingCompletionFigures(tx, new Date()),
      }));
      expect(evidence("TRN-1").evidence).toEqual({ ...truth.training });
      expect(evidence("ENC-1")).toMatchObject({
        evidence: {
          coverage: truth.coverage.value,
          personalFields: truth.coverage.personalFields,
          sealedFields: truth.coverage.sealedFields,
          unsealedFields: truth.coverage.unsealedFields.length,
          rowsChecked: truth.coverage.rowsChecked,
        },
        suggested: "met",
        result: null,
      });
      expect(truth.coverage.rowsChecked).toBeGreaterThan(0);
      expect(truth.approval.sensitiveOperations).toBeGreaterThan(0);
      expect(evidence("APR-1").evidence).toMatchObject({
        compliance: truth.approval.value,
        sensitiveOperations: truth.approval.sensitiveOperations,
        withValidGrant: truth.approval.withValidGrant,
      });
      expect(evidence("APR-1").suggested).toBe("not_met");
      expect(evidence("DSR-1").evidence).toEqual({ openRequests: truth.requests.open, overdueRequests: truth.requests.overdue });
      expect(evidence("IAM-4")).toMatchObject({
        evidence: { campaignsClosedLastYear: 0, openCampaigns: truth.campaigns.length, overdueCampaigns: 1, pendingItems: truth.pendingItems.length },
        suggested: "partly",
      });
      expect(truth.pendingItems.length).toBeGreaterThan(0);
      const chain = evidence("AUD-1").evidence;
      expect(chain).toMatchObject({ pendingEvents: expect.any(Number), lastVerifiedOk: null });
      // The sequencer may sign between the snapshot and this read: the snapshot saw that checkpoint, an earlier one, or none yet.
      if (chain.latestCheckpoint !== null) expect(chain.latestCheckpoint).toBeLessThanOrEqual(Number(truth.checkpoint?.seq));
      // GOV-6 now names a source too; the same snapshot serves both.
      expect(evidence("GOV-6").evidence).toEqual(evidence("ENC-1").evidence);
      // Out of scope: no CLS control; inapplicable: answered for the assessor.
      expect(evidence("CLS-1")).toBeUndefined();
      expect(evidence("PIPL-58")).toMatchObject({ result: "not_applicable", evidence: null });
      expect(evidence("GOV-3")).toMatchObject({ evidence: null, suggested: null });
      const event = await lastEvent(compliance.actor.userId, "assessment.run.start");
      expect(JSON.parse(event.details!)).toMatchObject({
        sources: ["access_reviews", "approval_compliance", "audit_chain", "encryption_coverage", "overdue_requests", "training_completion"],
      });
      expect((await call("POST", `/assessments/runs/${runId}/start`, compliance)).json().error.code).toBe("run_already_started");
    });

    it("answers controls by hand with sealed notes, and completes a run only when every control is answered", async () => {
      const answered = await ok(
        await call("PUT", `/assessments/runs/${runId}/controls/ENC-1`, compliance, {
          result: "met",
          notes: "抽查王律师的笔记本已加密",
          documentRefs: ["DOC-2026-17"],
        }),
      );
      expect(answered.results.find((r: { code: string }) => r.code === "ENC-1")).toMatchObject({
        result: "met",
        notes: "抽查王律师的笔记本已加密",
        documentRefs: ["DOC-2026-17"],
        answeredBy: compliance.actor.userId,
      });
      const row = await services.engine.db
        .selectFrom("assessment_results")
        .selectAll()
        .where("run_id", "=", runId)
        .where("control_code", "=", "ENC-1")
        .executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain("王律师");
      expect((await lastEvent(compliance.actor.userId)).details).not.toContain("王律师");
      expect((await call("PUT", `/assessments/runs/${runId}/controls/ENC-1`, compliance, { result: "great" })).statusCode).toBe(400);
      expect((await call("PUT", `/assessments/runs/${runId}/controls/CLS-1`, compliance, { result: "met" })).statusCode).toBe(404);
      expect((await call("PUT", `/assessments/runs/${runId}/controls/ENC-2`, auditor, { result: "met" })).statusCode).toBe(403);

      const early = await call("POST", `/assessments/runs/${runId}/complete`, compliance);
      expect([early.statusCode, early.json().error.code]).toEqual([409, "controls_unanswered"]);
      const run = await ok(await call("GET", `/assessments/runs/${runId}`, partner));
      for (const r of run.results.filter((x: { result: string | null }) => x.result === null))
        await ok(await call("PUT", `/assessments/runs/${runId}/controls/${r.code}`, compliance, { result: r.code === "APR-1" ? "not_met" : "met" }));
      const done = await ok(await call("POST", `/assessments/runs/${runId}/complete`, compliance));
      expect(done).toMatchObject({ status: "completed", counts: { gaps: 1 } });
      expect(done.counts.answered).toBe(done.counts.controls);
    });

    it("moves findings to verification by someone other than the owner, and lists the overdue ones", async () => {
      const raise = (user: TestUser, body: object) => call("POST", "/assessments/findings", user, body);
      const own = await ok(
        await raise(compliance, { runId, controlCode: "APR-1", summary: "导出未经审批", severity: "high", ownerId: compliance.actor.userId, dueOn: day(-1) }),
        201,
      );
      ownFindingId = own.id;
      expect(own).toMatchObject({ status: "open", overdue: true, severity: "high" });
      const adminFinding = await ok(
        await raise(compliance, {
          runId,
          controlCode: "ENC-2",
          summary: "Renew TLS certificate",
          severity: "medium",
          ownerId: admin.actor.userId,
          dueOn: day(3),
        }),
        201,
      );
      adminFindingId = adminFinding.id;
      expect((await raise(compliance, { summary: "x", severity: "low", ownerId: admin.actor.userId, dueOn: day(1) })).statusCode).toBe(400);
      expect((await raise(partner, { runId, summary: "x", severity: "low", ownerId: admin.actor.userId, dueOn: day(1) })).statusCode).toBe(403);
      const stored = await services.engine.db.selectFrom("assessment_findings").selectAll().where("id", "=", own.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain("导出未经审批");

      const overdue = await ok(await call("GET", "/assessments/findings?overdue=true", auditor));
      expect(overdue.items.map((f: { id: string }) => f.id)).toEqual([own.id]);
      // The admin owns a finding but reads no assessments: their own list only.
      expect((await call("GET", "/assessments/findings", admin)).statusCode).toBe(403);
      const mine = await ok(await call("GET", "/assessments/findings?mine=true", admin));
      expect(mine.items.map((f: { id: string }) => f.id)).toEqual([adminFinding.id]);
      expect((await ok(await call("GET", `/assessments/findings/${adminFinding.id}`, admin))).summary).toBe("Renew TLS certificate");
      expect((await call("GET", `/assessments/findings/${own.id}`, admin)).statusCode).toBe(403);

      // Someone else's finding: a lawyer may not move it.
      const lawyerMove = await call("POST", `/assessments/findings/${adminFinding.id}/progress`, lawyer, { status: "in_remediation" });
      expect([lawyerMove.statusCode, lawyerMove.json().error.code]).toEqual([403, "not_finding_owner"]);
      await ok(await call("POST", `/assessments/findings/${adminFinding.id}/progress`, admin, { status: "in_remediation" }));
      expect((await call("POST", `/assessments/findings/${adminFinding.id}/progress`, admin, { status: "resolved" })).json().error.code).toBe(
        "validation_error",
      );
      const resolved = await ok(
        await call("POST", `/assessments/findings/${adminFinding.id}/progress`, admin, { status: "resolved", resolution: "New certificate" }),
      );
      expect(resolved).toMatchObject({ status: "resolved", resolvedBy: admin.actor.userId, resolution: "New certificate" });
      // The owner never verifies: not the admin (no permission), not a compliance officer who owns it.
      expect((await call("POST", `/assessments/findings/${adminFinding.id}/verify`, admin, { accepted: true })).json().error.code).toBe(
        "role_lacks_permission",
      );
      await ok(await call("POST", `/assessments/findings/${own.id}/progress`, compliance, { status: "resolved", resolution: "已补批" }));
      const self = await call("POST", `/assessments/findings/${own.id}/verify`, compliance, { accepted: true });
      expect([self.statusCode, self.json().error.code]).toEqual([403, "owner_cannot_verify"]);
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({
        action: "assessment.finding.verify",
        outcome: "denied",
        reason: "owner_cannot_verify",
        target_id: own.id,
      });
      expect((await ok(await call("GET", `/assessments/findings/${own.id}`, compliance))).status).toBe("resolved");
      // A colleague sends it back, then the owner resolves again and the colleague verifies.
      expect(await ok(await call("POST", `/assessments/findings/${own.id}/verify`, compliance2, { accepted: false }))).toMatchObject({
        status: "in_remediation",
      });
      await ok(await call("POST", `/assessments/findings/${own.id}/progress`, compliance, { status: "resolved", resolution: "已补批并培训" }));
      expect(await ok(await call("POST", `/assessments/findings/${own.id}/verify`, compliance2, { accepted: true }))).toMatchObject({
        status: "verified",
        verifiedBy: compliance2.actor.userId,
        overdue: false,
      });
      expect((await call("POST", `/assessments/findings/${own.id}/progress`, compliance, { status: "in_remediation" })).json().error.code).toBe(
        "finding_status",
      );
    });

    it("reminds owners of findings due soon and compliance of overdue ones, once", async () => {
      const late = await ok(
        await call("POST", "/assessments/findings", compliance, {
          runId,
          summary: "Stocktake overdue",
          severity: "low",
          ownerId: lawyer.actor.userId,
          dueOn: day(-5),
        }),
        201,
      );
      const remind = () => jobNamed("finding-reminders").run({ services } as JobContext, new Date());
      expect(await remind()).toMatchObject({ outcome: "ok" });
      const inbox = async (user: TestUser) =>
        (
          await services.engine.db
            .selectFrom("notifications")
            .select("payload")
            .where("user_id", "=", user.actor.userId)
            .where("event_kind", "=", "finding.attention")
            .execute()
        ).map((n) => JSON.parse(n.payload).data);
      expect(await inbox(lawyer)).toEqual([{ findingId: late.id, reason: "overdue", dueOn: day(-5) }]);
      expect(await inbox(compliance)).toEqual([{ findingId: late.id, reason: "overdue", dueOn: day(-5) }]);
      // The admin's finding is resolved (not unfinished): no reminder.
      expect(await inbox(admin)).toEqual([]);
      expect(await remind()).toMatchObject({ outcome: "skipped", code: "nothing_new" });
      expect(await inbox(lawyer)).toHaveLength(1);
    });

    it("lists the previous run's unverified findings in the next run (re-assessment)", async () => {
      const next = await ok(
        await call("POST", "/assessments/runs", compliance, { kind: "ad_hoc", plannedOn: day(1), scope: ["ENC"], assessorId: compliance2.actor.userId }),
        201,
      );
      expect(next.previousRunId).toBe(runId);
      const carried = next.carriedOver.map((f: { id: string }) => f.id);
      expect(carried).toContain(adminFindingId);
      expect(carried).not.toContain(ownFindingId);
      const runs = await ok(await call("GET", "/assessments/runs", auditor));
      expect(runs.items.map((r: { id: string }) => r.id)).toEqual([next.id, runId]);
    });

    it("records compliance audits (PIPL Art 54) with sealed auditor and scope, and their findings", async () => {
      const audit = await ok(
        await call("POST", "/assessments/audits", compliance, {
          kind: "external",
          auditor: "普华审计师 李明",
          periodFrom: "2026-01-01",
          periodTo: "2026-06-30",
          scope: "客户信息处理全流程",
          reportReference: "PW-2026-088",
          conclusion: "compliant_with_findings",
          completedOn: day(-10),
        }),
        201,
      );
      expect(audit).toMatchObject({ auditor: "普华审计师 李明", scope: "客户信息处理全流程", findings: [], openFindings: 0 });
      const row = await services.engine.db.selectFrom("compliance_audits").selectAll().executeTakeFirstOrThrow();
      expect(JSON.stringify(row)).not.toContain("李明");
      const bad = await call("POST", "/assessments/audits", compliance, { ...audit, id: undefined });
      expect(bad.statusCode).toBe(400);
      const backwards = await call("POST", "/assessments/audits", compliance, {
        kind: "internal",
        auditor: "内审组",
        periodFrom: "2026-06-30",
        periodTo: "2026-01-01",
        scope: "x",
        conclusion: "compliant",
        completedOn: day(-1),
      });
      expect(backwards.json().error.fields[0]).toMatchObject({ field: "periodTo", code: "before_period_from" });
      await ok(
        await call("POST", "/assessments/findings", compliance, {
          auditId: audit.id,
          summary: "Logs kept 90 days only",
          severity: "critical",
          ownerId: admin.actor.userId,
          dueOn: day(30),
        }),
        201,
      );
      const { items } = await ok(await call("GET", "/assessments/audits", partner));
      expect(items[0]).toMatchObject({ id: audit.id, openFindings: 1, findings: [expect.objectContaining({ severity: "critical", auditId: audit.id })] });
    });

    it("keeps every PIA three years in one register, partner or processing activity", async () => {
      const partnerRes = await ok(
        await call("POST", "/partners", compliance, {
          name: "云存储服务商",
          kind: "cloud_provider",
          piplRole: "entrusted_processor",
          jurisdiction: "CN",
          maxLevel: 3,
        }),
        201,
      );
      await ok(
        await call("POST", `/partners/${partnerRes.id}/pias`, compliance, { conductedOn: day(-30), summary: "Cloud storage PIA", conclusion: "acceptable" }),
        201,
      );
      const pia = await ok(
        await call("POST", "/assessments/pias", compliance, {
          subject: "客户身份自动核验",
          trigger: "automated_decision",
          conductedOn: day(-400),
          summary: "风险可控，需人工复核",
          conclusion: "acceptable_with_measures",
        }),
        201,
      );
      expect(pia).toMatchObject({ partnerId: null, subject: "客户身份自动核验", trigger: "automated_decision", deletable: false });
      expect(pia.keepUntil > day(600) && pia.keepUntil < day(800)).toBe(true);
      const { items } = await ok(await call("GET", "/assessments/pias", auditor));
      expect(items.map((p: { partnerName: string | null; subject: string | null }) => [p.partnerName, p.subject])).toEqual(
        expect.arrayContaining([
          ["云存储服务商", null],
          [null, "客户身份自动核验"],
        ]),
      );
      const stored = await services.engine.db.selectFrom("partner_pias").selectAll().where("id", "=", pia.id).executeTakeFirstOrThrow();
      expect(JSON.stringify(stored)).not.toContain("人工复核");

      const refused = await call("DELETE", `/assessments/pias/${pia.id}`, compliance);
      expect([refused.statusCode, refused.json().error.code]).toEqual([409, "pia_retention_period"]);
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "assessment.pia.delete", outcome: "denied", reason: "pia_retention_period" });
      expect((await call("DELETE", `/assessments/pias/${pia.id}`, partner)).statusCode).toBe(403);
      const threeYearsOn = new Date(Date.parse(`${pia.keepUntil}T00:00:00Z`) + 3_600_000);
      expect(await deleteRegisteredPia(services, contextFor(compliance.actor, null), pia.id, threeYearsOn)).toEqual({ deleted: pia.id });
      expect(await services.engine.db.selectFrom("partner_pias").select("id").where("id", "=", pia.id).executeTakeFirst()).toBeUndefined();
    });

    it("builds the inspection pack: the expected files, a Chinese index, and no client name or ID in its bytes", async () => {
      await createPolicy(services, contextFor(compliance.actor, null), {
        code: "privacy_policy",
        titleZh: "客户信息保护制度",
        titleEn: "Client information protection policy",
        ownerId: compliance.actor.userId,
        reviewMonths: 12,
        textZh: "第一条 ……",
        textEn: "Article 1 …",
      });
      await openIncident(services, contextFor(compliance.actor, null), {
        source: "staff_report",
        category: "loss",
        cause: "lost_device",
        measures: ["credentials_revoked"],
        peopleAffected: 3,
        l4Involved: false,
        leftFirm: true,
        euSubjects: false,
        contact: "privacy@firm.test",
      } as Parameters<typeof openIncident>[2]);
      const denied = await call("GET", "/inspection-pack", auditor);
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
      expect(await lastEvent(auditor.actor.userId)).toMatchObject({ action: "inspection.pack", outcome: "denied" });

      const res = await call("GET", "/inspection-pack", compliance);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toBe("application/zip");
      expect(String(res.headers["content-disposition"])).toContain("inspection-pack");
      const bytes = res.rawPayload;
      for (const secret of [CANARY.name, CANARY.idNumber, CANARY.phone, CANARY.email, canaryId])
        expect(bytes.includes(Buffer.from(secret, "utf8")), secret).toBe(false);
      const zip = await JSZip.loadAsync(bytes);
      expect(Object.keys(zip.files).sort()).toEqual(PACK_FILES);
      const texts = await Promise.all(PACK_FILES.map((f) => zip.file(f)!.async("string")));
      for (const text of texts) for (const secret of [CANARY.name, CANARY.idNumber, CANARY.phone, canaryId]) expect(text).not.toContain(secret);
      const readme = await zip.file("README.txt")!.async("string");
      expect(readme).toContain("监管检查资料包");
      expect(readme).toContain("01-assessment.json / 01-assessment.csv");
      const assessment = JSON.parse(await zip.file("01-assessment.json")!.async("string"));
      expect(assessment.kind).toBe("ad_hoc"); // the latest run
      expect(assessment.carriedOver.map((f: { id: string }) => f.id)).toContain(adminFindingId);
      const findings = JSON.parse(await zip.file("02-findings.json")!.async("string"));
      expect(findings.find((f: { id: string }) => f.id === ownFindingId)).toMatchObject({ status: "verified" });
      expect(JSON.parse(await zip.file("05-policies.json")!.async("string"))).toEqual([
        expect.objectContaining({ code: "privacy_policy", titleZh: "客户信息保护制度", status: expect.any(String) }),
      ]);
      expect(await zip.file("05-policies.json")!.async("string")).not.toContain("第一条");
      const incidents = JSON.parse(await zip.file("08-incidents.json")!.async("string"));
      expect(incidents[0]).toMatchObject({ category: "loss", peopleAffected: 3 });
      expect(Object.keys(incidents[0])).not.toContain("contact");
      expect(await zip.file("02-findings.csv")!.async("string")).toMatch(/^\uFEFFfinding_id,run_id/);
      expect(JSON.parse(await zip.file("04-pia-register.json")!.async("string"))).toHaveLength(1);
      const event = await lastEvent(compliance.actor.userId, "inspection.pack");
      expect(event).toMatchObject({ outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ files: PACK_FILES.length, bytes: bytes.length });
    });

    it("custodia assessments controls | plan | start | findings and inspection-pack --out, as console compliance", async () => {
      const saved = { ...process.env };
      Object.assign(process.env, db.env);
      const out: string[] = [];
      const log = vi.spyOn(console, "log").mockImplementation((line: string) => void out.push(line));
      const dir = mkdtempSync(join(tmpdir(), "custodia-pack-"));
      const cli = (...args: string[]) => {
        const program = new Command("custodia").exitOverride();
        addAssessmentCommands(program);
        return program.parseAsync([...args, "--json"], { from: "user" });
      };
      try {
        await cli("assessments", "controls");
        expect(JSON.parse(out.at(-1)!).items.some((c: { code: string }) => c.code === "PIPL-54")).toBe(true);
        await cli("assessments", "plan", "--kind", "yearly", "--date", day(5), "--assessor", compliance.email, "--scope", "enc,aud");
        const planned = JSON.parse(out.at(-1)!);
        expect(planned).toMatchObject({ kind: "yearly", scope: ["AUD", "ENC"], status: "planned" });
        await cli("assessments", "start", planned.id);
        expect(JSON.parse(out.at(-1)!).results.find((r: { code: string }) => r.code === "AUD-1").evidence).toMatchObject({ pendingEvents: expect.any(Number) });
        await cli("assessments", "findings", "--overdue");
        expect(JSON.parse(out.at(-1)!).items.every((f: { overdue: boolean }) => f.overdue)).toBe(true);
        const file = join(dir, "pack.zip");
        await cli("inspection-pack", "--out", file);
        expect(JSON.parse(out.at(-1)!)).toMatchObject({ out: file, files: PACK_FILES });
        const zip = await JSZip.loadAsync(readFileSync(file));
        expect(Object.keys(zip.files).sort()).toEqual(PACK_FILES);
        await cli("assessments", "plan", "--kind", "ad_hoc", "--date", "2026-13-45", "--assessor", compliance.email);
        expect(process.exitCode).toBe(1);
      } finally {
        process.exitCode = 0;
        log.mockRestore();
        process.env = saved;
        rmSync(dir, { recursive: true, force: true });
      }
      const events = await services.engine.db.selectFrom("audit_events").select(["action", "actor_id"]).where("action", "=", "inspection.pack").execute();
      expect(events.some((e) => e.actor_id === "system:console")).toBe(true);
    });
  });
}
