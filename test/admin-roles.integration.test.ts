/**
 * Separate duties (issue #10, IAM-1/IAM-3): nobody changes their own role; a role at L3+ (partner,
 * lawyer, compliance) takes effect only once a compliance officer or a partner other than the
 * requester and the subject approves it; access conditions are compliance's to record; detection
 * raises an alert on every L3+ grant.
 */
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_OPERATOR, addUser, setUserRole } from "../src/identity/users/user-admin.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS } from "./support/dialects.js";
import { buildUser, TEST_PASSWORD, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: roles and access conditions (issue #10)`, () => {
    let services: Services;
    let app: FastifyInstance;
    let admin!: TestUser, admin2!: TestUser, compliance!: TestUser, partner!: TestUser, lawyer!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      admin = await buildUser(services, "admin");
      admin2 = await buildUser(services, "admin");
      compliance = await buildUser(services, "compliance");
      partner = await buildUser(services, "partner");
      lawyer = await buildUser(services, "lawyer");
    });

    const call = (method: "GET" | "POST" | "PUT", token: string, url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers: auth(token), ...(payload ? { payload } : {}) });
    const lastEvent = (action: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    const userRow = (id: string) => services.engine.db.selectFrom("users").select(["role", "status"]).where("id", "=", id).executeTakeFirstOrThrow();
    const alertsFor = (userId: string) =>
      services.engine.db.selectFrom("alerts").select(["rule_code", "facts"]).where("user_id", "=", userId).where("rule_code", "=", "privileged_role").execute();
    let serial = 0;
    const newEmail = () => `role-${++serial}-${dialect}@firm.test`;

    it("refuses anyone changing their own role, an admin included, in the policy and audited", async () => {
      for (const role of ["partner", "auditor"]) {
        const res = await call("PUT", admin.token, `/users/${admin.actor.userId}/role`, { role });
        expect([res.statusCode, res.json().error.code]).toEqual([403, "self_role_change"]);
        expect(await lastEvent("user.set_role")).toMatchObject({
          actor_id: admin.actor.userId,
          outcome: "denied",
          reason: "self_role_change",
          target_id: admin.actor.userId,
        });
      }
      expect(await userRow(admin.actor.userId)).toEqual({ role: "admin", status: "active" });
      const requests = await services.engine.db.selectFrom("approval_requests").select("id").where("subject_id", "=", admin.actor.userId).execute();
      expect(requests).toEqual([]);
    });

    it("files a role at L3+ for a second approver: the user keeps the old role until a compliance officer approves", async () => {
      const subject = await buildUser(services, "paralegal");
      const res = await call("PUT", admin.token, `/users/${subject.actor.userId}/role`, { role: "lawyer" });
      expect(res.statusCode, res.body).toBe(202);
      const approvalId = res.json().pendingApproval.id as string;
      expect(res.json()).toEqual({ id: subject.actor.userId, role: "paralegal", pendingApproval: { id: approvalId, role: "lawyer" } });
      expect(await lastEvent("approval.request")).toMatchObject({
        actor_id: admin.actor.userId,
        outcome: "success",
        target_id: approvalId,
        details: JSON.stringify({ kind: "role_grant", subjectId: subject.actor.userId, from: "paralegal", to: "lawyer" }),
      });
      expect(await userRow(subject.actor.userId)).toEqual({ role: "paralegal", status: "active" });
      expect((await call("GET", subject.token, "/auth/me")).json().role).toBe("paralegal");
      const listed = (await call("GET", admin.token, "/users")).json().items.find((u: { id: string }) => u.id === subject.actor.userId);
      expect(listed).toMatchObject({ role: "paralegal", pendingRole: { approvalId, role: "lawyer" } });

      // One request at a time: no other change until it is decided.
      const again = await call("PUT", admin.token, `/users/${subject.actor.userId}/role`, { role: "auditor" });
      expect([again.statusCode, again.json().error.code]).toEqual([409, "role_grant_pending"]);
      expect(await lastEvent("user.set_role")).toMatchObject({ outcome: "failure", reason: "role_grant_pending", target_id: subject.actor.userId });

      // Offered to compliance; refused to the requester, another admin and a lawyer.
      const toDecide = (await call("GET", compliance.token, "/approvals?scope=to_decide")).json().items;
      expect(toDecide.find((a: { id: string }) => a.id === approvalId)).toMatchObject({
        kind: "role_grant",
        clientId: null,
        subjectId: subject.actor.userId,
        role: "lawyer",
        status: "pending",
      });
      for (const [who, reason] of [
        [admin, "self_approval_forbidden"],
        [admin2, "not_an_approver"],
        [lawyer, "not_an_approver"],
      ] as const) {
        const refused = await call("POST", who.token, `/approvals/${approvalId}/approve`);
        expect([refused.statusCode, refused.json().error.code]).toEqual([403, reason]);
        expect(await lastEvent("approval.approve")).toMatchObject({ actor_id: who.actor.userId, outcome: "denied", reason });
      }
      expect(await alertsFor(subject.actor.userId)).toEqual([]);

      const approved = await call("POST", compliance.token, `/approvals/${approvalId}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      expect(approved.json()).toMatchObject({ status: "approved", grant: null });
      expect(await userRow(subject.actor.userId)).toEqual({ role: "lawyer", status: "active" });
      expect(await lastEvent("user.set_role")).toMatchObject({
        actor_id: compliance.actor.userId,
        outcome: "success",
        target_id: subject.actor.userId,
        details: JSON.stringify({ from: "paralegal", to: "lawyer", approvalId }),
      });
      // Detection: an alert on the account that gained the role, naming who granted it.
      const alerts = await alertsFor(subject.actor.userId);
      expect(alerts).toHaveLength(1);
      expect(JSON.parse(alerts[0]!.facts!)).toEqual({ role: "lawyer", from: "paralegal", grantedBy: compliance.actor.userId });
      expect((await call("GET", subject.token, "/auth/me")).json().role).toBe("lawyer");

      // Below L3 a change applies at once, and raises no alert.
      const down = await call("PUT", admin.token, `/users/${subject.actor.userId}/role`, { role: "records-clerk" });
      expect([down.statusCode, down.json()]).toEqual([200, { id: subject.actor.userId, role: "records-clerk", pendingApproval: null }]);
      expect(await alertsFor(subject.actor.userId)).toHaveLength(1);
    });

    it("creates a partner disabled until a partner approves it; it cannot sign in before", async () => {
      const email = newEmail();
      const created = await call("POST", admin.token, "/users", { email, role: "partner", password: TEST_PASSWORD });
      expect(created.statusCode, created.body).toBe(202);
      const { id, approvalId } = created.json();
      expect(created.json()).toMatchObject({ role: "partner", status: "awaiting_approval", approvalId: expect.any(String) });
      expect(await lastEvent("user.create")).toMatchObject({
        actor_id: admin.actor.userId,
        outcome: "success",
        target_id: id,
        details: JSON.stringify({ role: "partner", approvalId }),
      });
      expect(await userRow(id)).toEqual({ role: "partner", status: "disabled" });
      const early = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: TEST_PASSWORD } });
      expect([early.statusCode, early.json().error.code]).toEqual([401, "invalid_credentials"]);
      // Nor may the admin record the newcomer's access conditions meanwhile (compliance's duty).
      const agreement = await call("POST", admin.token, `/users/${id}/agreement`, { version: 1 });
      expect([agreement.statusCode, agreement.json().error.code]).toEqual([403, "role_lacks_permission"]);

      const approved = await call("POST", partner.token, `/approvals/${approvalId}/approve`);
      expect(approved.statusCode, approved.body).toBe(200);
      expect(await userRow(id)).toEqual({ role: "partner", status: "active" });
      expect(await lastEvent("user.set_role")).toMatchObject({
        actor_id: partner.actor.userId,
        target_id: id,
        details: JSON.stringify({ from: null, to: "partner", approvalId, activated: true }),
      });
      expect(await alertsFor(id)).toHaveLength(1);
      const signIn = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password: TEST_PASSWORD } });
      expect([signIn.statusCode, signIn.json().status]).toEqual([200, "enrolment_required"]);
    });

    it("never lets the staff member a role grant is for approve it, and a rejection changes nothing", async () => {
      const officer = await buildUser(services, "compliance");
      const res = await call("PUT", admin.token, `/users/${officer.actor.userId}/role`, { role: "partner" });
      const approvalId = res.json().pendingApproval.id as string;
      const own = await call("POST", officer.token, `/approvals/${approvalId}/approve`);
      expect([own.statusCode, own.json().error.code]).toEqual([403, "approver_is_subject"]);
      expect(await lastEvent("approval.approve")).toMatchObject({ actor_id: officer.actor.userId, outcome: "denied", reason: "approver_is_subject" });

      const rejected = await call("POST", partner.token, `/approvals/${approvalId}/reject`);
      expect([rejected.statusCode, rejected.json().status]).toEqual([200, "rejected"]);
      expect(await userRow(officer.actor.userId)).toEqual({ role: "compliance", status: "active" });
      expect(await alertsFor(officer.actor.userId)).toEqual([]);
      // The one approver slot is spent by the rejection: nobody approves it afterwards.
      const late = await call("POST", compliance.token, `/approvals/${approvalId}/approve`);
      expect([late.statusCode, late.json().error.code]).toEqual([403, "not_an_approver"]);
      expect(await userRow(officer.actor.userId)).toEqual({ role: "compliance", status: "active" });

      // A rejected new account stays disabled.
      const created = (await call("POST", admin.token, "/users", { email: newEmail(), role: "lawyer", password: TEST_PASSWORD })).json();
      expect((await call("POST", compliance.token, `/approvals/${created.approvalId}/reject`)).statusCode).toBe(200);
      expect(await userRow(created.id)).toEqual({ role: "lawyer", status: "disabled" });
    });

    it("leaves agreement and training to compliance: never the admin, never for oneself", async () => {
      const newcomer = await buildUser(services, "lawyer", { accessConditions: false });
      for (const [url, body, action] of [
        ["agreement", { version: 1 }, "user.agreement_record"],
        ["training", { expiresOn: "2099-12-31" }, "user.training_record"],
      ] as const) {
        const byAdmin = await call("POST", admin.token, `/users/${newcomer.actor.userId}/${url}`, body);
        expect([byAdmin.statusCode, byAdmin.json().error.code]).toEqual([403, "role_lacks_permission"]);
        expect(await lastEvent(action)).toMatchObject({ actor_id: admin.actor.userId, outcome: "denied", reason: "role_lacks_permission" });
        const bySelf = await call("POST", compliance.token, `/users/${compliance.actor.userId}/${url}`, body);
        expect([bySelf.statusCode, bySelf.json().error.code]).toEqual([403, "self_record_forbidden"]);
        expect(await lastEvent(action)).toMatchObject({ actor_id: compliance.actor.userId, outcome: "denied", reason: "self_record_forbidden" });
        const byOfficer = await call("POST", compliance.token, `/users/${newcomer.actor.userId}/${url}`, body);
        expect(byOfficer.statusCode, byOfficer.body).toBe(200);
        expect(await lastEvent(action)).toMatchObject({ actor_id: compliance.actor.userId, outcome: "success", target_id: newcomer.actor.userId });
      }
      // User administration may still read them (to see who is ready).
      const read = await call("GET", admin.token, `/users/${newcomer.actor.userId}/access-conditions`);
      expect([read.statusCode, read.json().met]).toEqual([200, true]);
    });
  });

  describe(`${dialect}: the console grants an L3+ role directly only while nobody could approve it`, () => {
    it("creates the firm's first compliance officer, then refuses further L3+ grants from the console", async () => {
      const db = await createTestDatabase(dialect);
      const services = await db.open();
      try {
        const first = await addUser(services, CONSOLE_OPERATOR, { email: "first@firm.test", role: "compliance", password: TEST_PASSWORD }, "t");
        expect(first).toMatchObject({ role: "compliance", status: "active", approvalId: null });
        expect(await services.engine.db.selectFrom("alerts").select("rule_code").where("user_id", "=", first.id).execute()).toEqual([
          { rule_code: "privileged_role" },
        ]);
        await expect(addUser(services, CONSOLE_OPERATOR, { email: "second@firm.test", role: "partner", password: TEST_PASSWORD }, "t")).rejects.toMatchObject({
          status: 403,
          code: "second_approver_required",
        });
        const denied = await services.engine.db
          .selectFrom("audit_events")
          .selectAll()
          .where("action", "=", "user.create")
          .orderBy("seq", "desc")
          .executeTakeFirstOrThrow();
        expect(denied).toMatchObject({ actor_id: "system:console", outcome: "denied", reason: "second_approver_required" });
        const clerk = await addUser(services, CONSOLE_OPERATOR, { email: "clerk@firm.test", role: "paralegal", password: TEST_PASSWORD }, "t");
        await expect(setUserRole(services, CONSOLE_OPERATOR, { email: "clerk@firm.test", role: "lawyer" }, "t")).rejects.toMatchObject({
          code: "second_approver_required",
        });
        expect((await services.engine.db.selectFrom("users").select("role").where("id", "=", clerk.id).executeTakeFirstOrThrow()).role).toBe("paralegal");
      } finally {
        await services.close();
        await db.cleanup();
      }
    });
  });
}
