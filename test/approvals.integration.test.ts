import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { runCli } from "./support/cli.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

let serial = 0;
const matterNumber = () => `2026-审-${String(++serial).padStart(4, "0")}`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: approvals, grants, break-glass and access conditions`, () => {
    let services: Services;
    let app: FastifyInstance;
    let admin!: TestUser,
      partner!: TestUser,
      partner2!: TestUser,
      lawyer!: TestUser,
      lawyer2!: TestUser,
      lawyer3!: TestUser,
      compliance!: TestUser,
      compliance2!: TestUser,
      auditor!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      admin = await buildUser(services, "admin");
      partner = await buildUser(services, "partner");
      partner2 = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
      lawyer2 = await buildUser(services, "lawyer");
      lawyer3 = await buildUser(services, "lawyer");
      compliance = await buildUser(services, "compliance");
      compliance2 = await buildUser(services, "compliance");
      auditor = await buildUser(services, "auditor");
    });

    const post = (token: string, url: string, payload: object, purpose?: string) =>
      app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token, purpose), payload });
    const get = (token: string, url: string, purpose = "case-handling") => app.inject({ method: "GET", url: `/api/v1${url}`, headers: auth(token, purpose) });
    const newClient = async () => {
      const res = await post(partner.token, "/clients", clientInput());
      expect(res.statusCode).toBe(201);
      return res.json() as { id: string; idNumber: string; phone: string; name: string };
    };
    const newMatter = async (clientId: string, team: { userId: string; role: string }[] = []) => {
      const res = await post(partner.token, "/matters", {
        clientId,
        number: matterNumber(),
        title: "咨询",
        practiceArea: "other",
        responsiblePartnerId: partner.actor.userId,
        team,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };
    const request = async (who: TestUser, body: object) => {
      const res = await post(who.token, "/approvals", {
        purpose: "case-handling",
        justification: "court_filing",
        reference: "TKT-1",
        durationMinutes: 60,
        ...body,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; status: string };
    };
    const approved = async (who: TestUser, body: object, approver: TestUser = compliance) => {
      const req = await request(who, body);
      const res = await post(approver.token, `/approvals/${req.id}/approve`, {});
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe("approved");
      return res.json() as { id: string; grant: { id: string; current: boolean } };
    };
    const lastEvent = (actorId: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", actorId).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const expireGrant = (grantId: string) =>
      services.engine.db
        .updateTable("access_grants")
        .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
        .where("id", "=", grantId)
        .execute();

    it("sets supervisors through the CLI and the admin API", async () => {
      const cli = await runCli(["user", "set-supervisor", "--email", lawyer.email, "--supervisor", partner.email, "--json"], suite.db.env);
      expect(cli.status, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ supervisorId: partner.actor.userId });
    });

    it("admin API sets a supervisor; only user managers may", async () => {
      const put = (token: string, userId: string, supervisorId: string | null) =>
        app.inject({ method: "PUT", url: `/api/v1/users/${userId}/supervisor`, headers: auth(token), payload: { supervisorId } });
      const ok = await put(admin.token, lawyer3.actor.userId, compliance.actor.userId);
      expect([ok.statusCode, ok.json().supervisorId]).toEqual([200, compliance.actor.userId]);
      expect((await put(admin.token, lawyer3.actor.userId, lawyer3.actor.userId)).statusCode).toBe(400);
      const denied = await put(partner.token, lawyer2.actor.userId, partner.actor.userId);
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
    });

    it("disclosure needs the supervisor and a compliance officer: four eyes, no self-approval, no one twice", async () => {
      const client = await newClient();
      const req = await request(lawyer, { kind: "disclose", clientId: client.id, justification: "regulator_request" });
      expect(req.status).toBe("pending");
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "approval.request", outcome: "success", target_id: req.id });

      const self = await post(lawyer.token, `/approvals/${req.id}/approve`, {});
      expect([self.statusCode, self.json().error.code]).toEqual([403, "self_approval_forbidden"]);
      expect(await lastEvent(lawyer.actor.userId)).toMatchObject({ action: "approval.approve", outcome: "denied", reason: "self_approval_forbidden" });
      const zh = await app.inject({
        method: "POST",
        url: `/api/v1/approvals/${req.id}/approve`,
        headers: { ...auth(lawyer.token), "accept-language": "zh-CN" },
        payload: {},
      });
      expect(zh.json().error.message).toBe("不能批准或驳回本人提交的申请。");
      const stranger = await post(lawyer2.token, `/approvals/${req.id}/approve`, {});
      expect([stranger.statusCode, stranger.json().error.code]).toEqual([403, "not_an_approver"]);

      const first = await post(compliance.token, `/approvals/${req.id}/approve`, {});
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({
        status: "pending",
        grant: null,
        decisions: [{ slot: "compliance", approverId: compliance.actor.userId, decision: "approve" }],
      });
      const twice = await post(compliance.token, `/approvals/${req.id}/approve`, {});
      expect([twice.statusCode, twice.json().error.code]).toEqual([403, "same_approver_twice"]);
      const otherCompliance = await post(compliance2.token, `/approvals/${req.id}/approve`, {});
      expect([otherCompliance.statusCode, otherCompliance.json().error.code]).toEqual([403, "not_an_approver"]);

      const toDecide = (await get(partner.token, "/approvals?scope=to_decide")).json().items.map((a: { id: string }) => a.id);
      expect(toDecide).toContain(req.id);
      const second = await post(partner.token, `/approvals/${req.id}/approve`, {});
      expect(second.statusCode).toBe(200);
      expect(second.json()).toMatchObject({ status: "approved", grant: { current: true } });
      expect(
        second
          .json()
          .decisions.map((d: { slot: string }) => d.slot)
          .sort(),
      ).toEqual(["compliance", "supervisor"]);
      const grantEvent = await lastEvent(partner.actor.userId);
      expect(grantEvent).toMatchObject({ action: "grant.create", outcome: "success", target_id: second.json().grant.id });
      const again = await post(compliance2.token, `/approvals/${req.id}/reject`, {});
      expect(again.statusCode).toBe(403); // no slot left for them

      // The record is retrievable by its parties, and by no one else.
      const record = await get(lawyer.token, `/approvals/${req.id}`);
      expect(record.json()).toMatchObject({ id: req.id, kind: "disclose", justification: "regulator_request", reference: "TKT-1", status: "approved" });
      expect((await get(lawyer2.token, `/approvals/${req.id}`)).statusCode).toBe(404);
      expect((await get(lawyer.token, "/approvals?scope=mine")).json().items.map((a: { id: string }) => a.id)).toContain(req.id);

      // The same person cannot fill both slots, even when they are the supervisor and in compliance.
      const both = await request(lawyer3, { kind: "disclose", clientId: client.id });
      expect((await post(compliance.token, `/approvals/${both.id}/approve`, {})).json().decisions).toEqual([expect.objectContaining({ slot: "supervisor" })]);
      const sameTwice = await post(compliance.token, `/approvals/${both.id}/approve`, {});
      expect([sameTwice.statusCode, sameTwice.json().error.code]).toEqual([403, "same_approver_twice"]);
      // A rejection ends the request.
      const rejected = await post(compliance2.token, `/approvals/${both.id}/reject`, {});
      expect(rejected.json()).toMatchObject({ status: "rejected", grant: null });
      expect(await lastEvent(compliance2.actor.userId)).toMatchObject({ action: "approval.reject", outcome: "success" });
      expect((await post(partner.token, `/approvals/${both.id}/approve`, {})).statusCode).toBe(403);

      // Without a supervisor on record, a disclosure cannot be asked for.
      const orphan = await post(lawyer2.token, "/approvals", {
        kind: "disclose",
        clientId: client.id,
        purpose: "case-handling",
        justification: "other",
        durationMinutes: 60,
      });
      expect([orphan.statusCode, orphan.json().error.code]).toEqual([409, "supervisor_required"]);
      const bad = await post(lawyer2.token, "/approvals", {
        kind: "gossip",
        clientId: client.id,
        purpose: "case-handling",
        justification: "other",
        durationMinutes: 1,
      });
      expect(bad.statusCode).toBe(400);
    });

    it("a read_sensitive grant lets a lawyer off the matter read L4 until it expires", async () => {
      const client = await newClient();
      await newMatter(client.id);
      const before = await get(lawyer2.token, `/clients/${client.id}`);
      expect([before.statusCode, before.json().error.code]).toEqual([403, "not_on_matter"]);

      const approval = await approved(lawyer2, { kind: "read_sensitive", clientId: client.id });
      const read = await get(lawyer2.token, `/clients/${client.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ idNumber: client.idNumber, access: { decision: "allow", maskedFields: [], via: "grant" } });
      const event = await lastEvent(lawyer2.actor.userId);
      expect(event).toMatchObject({ action: "client.read", outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ via: "grant", viaId: approval.grant.id });

      await expireGrant(approval.grant.id);
      const after = await get(lawyer2.token, `/clients/${client.id}`);
      expect([after.statusCode, after.json().error.code]).toEqual([403, "not_on_matter"]);
      expect((await get(lawyer2.token, `/approvals/${approval.id}`)).json().grant.current).toBe(false);
    });

    it("a wall still blocks a grant holder", async () => {
      const client = await newClient();
      await approved(lawyer2, { kind: "read_sensitive", clientId: client.id });
      expect((await get(lawyer2.token, `/clients/${client.id}`)).statusCode).toBe(200);
      expect(
        (await post(compliance.token, "/walls", { reason: "conflict_of_interest", clientIds: [client.id], screenedUserIds: [lawyer2.actor.userId] }))
          .statusCode,
      ).toBe(201);
      const walled = await get(lawyer2.token, `/clients/${client.id}`);
      expect([walled.statusCode, walled.json().error.code]).toEqual([404, "not_found"]);
      expect(await lastEvent(lawyer2.actor.userId)).toMatchObject({ action: "client.read", outcome: "denied", reason: "screened_by_wall" });
    });

    it("exports only under a current export grant", async () => {
      const client = await newClient();
      const refused = await get(partner2.token, `/clients/${client.id}/export`);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "approval_required"]);
      expect(await lastEvent(partner2.actor.userId)).toMatchObject({
        action: "client.export",
        outcome: "denied",
        reason: "approval_required",
        target_id: client.id,
      });
      const approval = await approved(partner2, { kind: "export", clientId: client.id });
      const ok = await get(partner2.token, `/clients/${client.id}/export`);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({
        purpose: "case-handling",
        grantId: approval.grant.id,
        client: { id: client.id, idNumber: client.idNumber, phone: client.phone },
      });
      expect(await lastEvent(partner2.actor.userId)).toMatchObject({ action: "client.export", outcome: "success" });
      await expireGrant(approval.grant.id);
      expect((await get(partner2.token, `/clients/${client.id}/export`)).json().error.code).toBe("approval_required");
    });

    it("break-glass opens reading through a wall, alerts compliance, and is queued for review", async () => {
      const client = await newClient();
      await post(partner.token, "/walls", { reason: "lateral_hire", clientIds: [client.id], screenedUserIds: [lawyer3.actor.userId] });
      expect((await get(lawyer3.token, `/clients/${client.id}`)).statusCode).toBe(404);

      const noRef = await post(lawyer3.token, `/clients/${client.id}/break-glass`, { justification: "court_deadline" });
      expect(noRef.statusCode).toBe(400);
      expect((await post(auditor.token, `/clients/${client.id}/break-glass`, { justification: "court_deadline", reference: "INC-7" })).statusCode).toBe(403);
      const opened = await post(lawyer3.token, `/clients/${client.id}/break-glass`, { justification: "court_deadline", reference: "INC-7" });
      expect(opened.statusCode, opened.body).toBe(201);
      const glass = opened.json() as { id: string; expiresAt: string; openedAt: string };
      expect(Date.parse(glass.expiresAt) - Date.parse(glass.openedAt)).toBe(30 * 60_000);
      expect(opened.json().review).toEqual({ status: "pending", reviewerId: null, reviewedAt: null });
      const alert = await services.engine.db
        .selectFrom("alerts")
        .selectAll()
        .where("user_id", "=", lawyer3.actor.userId)
        .where("kind", "=", "break_glass")
        .executeTakeFirstOrThrow();
      expect(alert).toMatchObject({ severity: "high", status: "new" });
      const openEvent = await services.engine.db.selectFrom("audit_events").selectAll().where("seq", "=", Number(alert.event_seq)).executeTakeFirstOrThrow();
      expect(openEvent).toMatchObject({ action: "break_glass.open", actor_id: lawyer3.actor.userId, target_id: client.id });

      const read = await get(lawyer3.token, `/clients/${client.id}`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ name: client.name, access: { via: "break_glass", maskedFields: ["idNumber"] } });
      expect(await lastEvent(lawyer3.actor.userId)).toMatchObject({ action: "client.read", outcome: "success", reason: "break_glass" });
      // Break-glass opens reading only: no export across the wall.
      expect((await get(lawyer3.token, `/clients/${client.id}/export`)).statusCode).toBe(404);

      const queue = (await get(compliance.token, "/break-glass")).json().items.map((i: { id: string }) => i.id);
      expect(queue).toContain(glass.id);
      const notCompliance = await post(partner.token, `/break-glass/${glass.id}/review`, { outcome: "accepted" });
      expect([notCompliance.statusCode, notCompliance.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const reviewed = await post(compliance.token, `/break-glass/${glass.id}/review`, { outcome: "accepted" });
      expect(reviewed.json().review).toMatchObject({ status: "accepted", reviewerId: compliance.actor.userId });
      expect(await lastEvent(compliance.actor.userId)).toMatchObject({ action: "break_glass.review", outcome: "success", target_id: glass.id });
      const twice = await post(compliance2.token, `/break-glass/${glass.id}/review`, { outcome: "rejected" });
      expect([twice.statusCode, twice.json().error.code]).toEqual([409, "review_not_pending"]);

      await services.engine.db
        .updateTable("break_glass_accesses")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("id", "=", glass.id)
        .execute();
      expect((await get(lawyer3.token, `/clients/${client.id}`)).statusCode).toBe(404);
    });

    it("computes the approval-compliance KPI from the audit log: 3 of 4 sensitive operations approved", async () => {
      const client = await newClient();
      await approved(partner, { kind: "export", clientId: client.id });
      const from = new Date().toISOString();
      for (let i = 0; i < 3; i++) expect((await get(partner.token, `/clients/${client.id}/export`)).statusCode).toBe(200);
      expect((await get(partner2.token, `/clients/${client.id}/export`)).statusCode).toBe(403);
      await new Promise((r) => setTimeout(r, 5));
      const to = new Date().toISOString();
      const kpi = await get(auditor.token, `/kpis/approval-compliance?from=${from}&to=${to}`);
      expect(kpi.statusCode, kpi.body).toBe(200);
      expect(kpi.json()).toMatchObject({ sensitiveOperations: 4, withValidGrant: 3, value: 0.75, byKind: { export: { total: 4, withGrant: 3 } } });
      expect(await lastEvent(auditor.actor.userId)).toMatchObject({ action: "kpi.approval_compliance", outcome: "success" });
      const denied = await get(lawyer.token, `/kpis/approval-compliance?from=${from}&to=${to}`);
      expect([denied.statusCode, denied.json().error.code]).toEqual([403, "role_lacks_permission"]);
    });

    it("masks L3+ fields with the reason until agreement and training are current", async () => {
      const client = await newClient();
      const newcomer = await buildUser(services, "partner", { accessConditions: false });
      const masked = await get(newcomer.token, `/clients/${client.id}`);
      expect(masked.statusCode).toBe(200);
      expect(masked.json()).toMatchObject({ name: client.name, access: { decision: "mask", reason: "access_conditions_unmet" } });
      expect([...masked.json().access.maskedFields].sort()).toEqual(["address", "birthDate", "email", "idNumber", "notes", "phone"]);
      expect(masked.json().idNumber).not.toBe(client.idNumber);
      expect(JSON.parse((await lastEvent(newcomer.actor.userId)).details!).masked).toContain("idNumber");

      // Compliance records them: the admin who made the account may not (issue #10).
      const byAdmin = await post(admin.token, `/users/${newcomer.actor.userId}/agreement`, { version: 1 });
      expect([byAdmin.statusCode, byAdmin.json().error.code]).toEqual([403, "role_lacks_permission"]);
      const agreement = await post(compliance.token, `/users/${newcomer.actor.userId}/agreement`, { version: 1 });
      expect(agreement.json()).toMatchObject({ agreement: { version: 1 }, training: null, met: false });
      // Training that has run out does not count.
      const stale = await post(compliance.token, `/users/${newcomer.actor.userId}/training`, { completedAt: "2020-01-01", expiresOn: "2021-01-01" });
      expect(stale.json().met).toBe(false);
      expect((await get(newcomer.token, `/clients/${client.id}`)).json().access.reason).toBe("access_conditions_unmet");
      expect((await post(partner.token, `/users/${newcomer.actor.userId}/training`, { expiresOn: "2099-12-31" })).statusCode).toBe(403);

      const cli = await runCli(["user", "training", "--email", newcomer.email, "--expires", "2099-12-31", "--json"], suite.db.env);
      expect(cli.status, cli.stderr).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ met: true });
      expect((await get(newcomer.token, `/clients/${client.id}`)).json()).toMatchObject({ idNumber: client.idNumber, access: { decision: "allow" } });
    });

    it("disabling a user revokes their grants", async () => {
      const client = await newClient();
      const leaver = await buildUser(services, "lawyer");
      const approval = await approved(leaver, { kind: "read_sensitive", clientId: client.id });
      const cli = await runCli(["user", "disable", "--email", leaver.email, "--json"], suite.db.env);
      expect(JSON.parse(cli.stdout)).toMatchObject({ status: "disabled", grantsRevoked: 1 });
      expect((await get(compliance.token, `/approvals/${approval.id}`)).json().grant).toMatchObject({ current: false });
    });

    it("keeps the audit chain intact", async () => {
      const { verifyAuditChain } = await import("../src/platform/audit/audit-verifier.js");
      expect((await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey)).ok).toBe(true);
    });
  });
}
