/**
 * Notifications that work on day one (issue #15), on both engines: a new compliance officer hears
 * of alerts and break-glass without anyone subscribing them, approvers of new requests they may
 * decide, requesters of decisions; an opt-out stands when the defaults are applied again.
 */
import { describe, expect, it } from "vitest";
import { decideApproval } from "../src/access/approvals/approval-decider.js";
import { addUser, CONSOLE_OPERATOR, setUserRole } from "../src/identity/users/user-admin.js";
import { createToken } from "../src/identity/users/token-admin.js";
import { applyDefaultSubscriptions } from "../src/response/notifications/default-subscriptions.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, contextFor, setRoleDirectly, TEST_PASSWORD, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: default notification subscriptions`, () => {
    const suite = httpSuite(dialect);
    const call = (method: "GET" | "POST" | "PUT", url: string, who: TestUser, payload?: object) =>
      suite.app.inject({ method, url: `/api/v1${url}`, headers: auth(who.token, "case-handling"), ...(payload ? { payload } : {}) });
    const inbox = async (who: TestUser, kind: string) =>
      ((await call("GET", "/notifications", who)).json().items as { kind: string; payload: { data: Record<string, string> } }[]).filter((n) => n.kind === kind);
    // Making compliance officers raises privileged-role alerts too; these tests count the disabled-account ones.
    const alertsIn = async (who: TestUser) => (await inbox(who, "alert.raised")).filter((n) => n.payload.data.ruleCode === "disabled_account");

    /**
     * A compliance officer added the way user administration adds one: the first directly (no one
     * could approve yet), later ones through a role grant `approver` approves. Tokens are minted while
     * below L3, as buildUser does (an L3 token needs a recent second factor in a browser).
     */
    async function newCompliance(approver?: TestUser): Promise<TestUser> {
      const email = `compliance-${Math.random().toString(36).slice(2, 10)}@firm.test`;
      const user = await addUser(suite.services, CONSOLE_OPERATOR, { email, role: approver ? "paralegal" : "compliance", password: TEST_PASSWORD }, "test");
      if (!approver) await setRoleDirectly(suite.services, user.id, "paralegal");
      const { token } = await createToken(suite.services, CONSOLE_OPERATOR, { email, name: "test" }, "test");
      if (!approver) await setRoleDirectly(suite.services, user.id, "compliance");
      else {
        // User administration files the role grant (the console operator may not once an approver exists).
        const admin = await buildUser(suite.services, "admin");
        const filed = await setUserRole(suite.services, admin.actor, { id: user.id, role: "compliance" }, "test");
        await decideApproval(suite.services, contextFor(approver.actor, null), filed.pendingApproval!.id, "approve");
      }
      return { actor: { userId: user.id, role: "compliance" }, token, email };
    }

    /** A disabled account's sign-in attempt: detection raises a high `disabled_account` alert. */
    async function raiseAlert(about: TestUser) {
      await suite.services.engine.db.transaction().execute((tx) =>
        suite.services.auditLog.append(tx, [
          {
            action: "auth.login",
            outcome: "denied",
            reason: "user_disabled",
            actorId: about.actor.userId,
            actorRole: null,
            requestId: null,
            targetType: "user",
            targetId: about.actor.userId,
          },
        ]),
      );
    }

    let compliance: TestUser;
    let optedOut: TestUser;

    it("tells a new compliance officer about a new alert with no manual subscription", async () => {
      compliance = await newCompliance();
      optedOut = await newCompliance(compliance);
      const subs = await suite.services.engine.db
        .selectFrom("notification_subscriptions")
        .select(["event_kind", "email"])
        .where("user_id", "=", compliance.actor.userId)
        .execute();
      expect(subs.map((s) => s.event_kind).sort()).toEqual(["alert.raised", "approval.decided", "approval.requested", "break_glass.opened", "incident.opened"]);
      expect(subs.every((s) => s.email === 0)).toBe(true); // in-app only; email stays opt-in

      await raiseAlert(await buildUser(suite.services, "paralegal"));
      expect(await alertsIn(compliance)).toHaveLength(1);
    });

    it("keeps an opt-out when the defaults are applied again, and offers only the role's own kinds", async () => {
      const mine = (await call("GET", "/notification-subscriptions/mine", optedOut)).json().items;
      expect(mine).toContainEqual({ event: "alert.raised", subscribed: true, email: false, offered: true });
      const off = await call("PUT", "/notification-subscriptions/mine", optedOut, { event: "alert.raised", subscribed: false });
      expect(off.json()).toEqual({ event: "alert.raised", subscribed: false, email: false, offered: true });
      // As a later migration or a role change would: nothing comes back.
      expect(await applyDefaultSubscriptions(suite.services.engine.db, { id: optedOut.actor.userId, role: "compliance" }, new Date().toISOString())).toEqual(
        [],
      );

      await raiseAlert(await buildUser(suite.services, "paralegal"));
      expect(await alertsIn(optedOut)).toHaveLength(1); // only the first alert, from before the opt-out
      expect(await alertsIn(compliance)).toHaveLength(2);

      // A paralegal may not subscribe themselves to alerts (a notification names records the role does not see).
      const paralegal = await buildUser(suite.services, "paralegal");
      const refused = await call("PUT", "/notification-subscriptions/mine", paralegal, { event: "alert.raised", subscribed: true });
      expect([refused.statusCode, refused.json().error.fields[0].code]).toEqual([400, "not_offered"]);
      const audit = await suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "notification.set_own_subscription")
        .where("actor_id", "=", optedOut.actor.userId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.details!)).toEqual({ event: "alert.raised", subscribed: false, email: false });
    });

    it("leaves a subscription someone already set (with email) as it was", async () => {
      const user = await newCompliance(compliance);
      const db = suite.services.engine.db;
      await db.deleteFrom("notification_defaults").where("user_id", "=", user.actor.userId).execute();
      await db
        .updateTable("notification_subscriptions")
        .set({ email: 1 })
        .where("user_id", "=", user.actor.userId)
        .where("event_kind", "=", "incident.opened")
        .execute();
      await db.deleteFrom("notification_subscriptions").where("user_id", "=", user.actor.userId).where("event_kind", "=", "alert.raised").execute();
      const added = await applyDefaultSubscriptions(db, { id: user.actor.userId, role: "compliance" }, new Date().toISOString());
      expect(added).toEqual(["alert.raised"]);
      const incident = await db
        .selectFrom("notification_subscriptions")
        .select("email")
        .where("user_id", "=", user.actor.userId)
        .where("event_kind", "=", "incident.opened")
        .execute();
      expect(incident).toEqual([{ email: 1 }]);
    });

    it("tells those who may decide a new approval request, and the requester the decision", async () => {
      const partner = await buildUser(suite.services, "partner");
      const client = await buildClient(suite.services, partner.actor);
      const asked = await call("POST", "/approvals", partner, {
        kind: "read_sensitive",
        clientId: client.id,
        purpose: "case-handling",
        justification: "court_filing",
        reference: "TKT-15",
        durationMinutes: 60,
      });
      expect(asked.statusCode, asked.body).toBe(201);
      const approvalId = asked.json().id as string;
      const told = await inbox(compliance, "approval.requested");
      expect(told.map((n) => n.payload.data.approvalId)).toContain(approvalId);
      // The requester is never told to decide their own request.
      expect(await inbox(partner, "approval.requested")).toEqual([]);

      expect((await call("POST", `/approvals/${approvalId}/approve`, compliance, {})).statusCode).toBe(200);
      const decided = await inbox(partner, "approval.decided");
      expect(decided.map((n) => n.payload.data)).toEqual([{ approvalId, approvalKind: "read_sensitive", status: "approved" }]);
    });

    it("tells compliance that break-glass was opened, says how many heard, and lists the opener's open accesses", async () => {
      const partner = await buildUser(suite.services, "partner");
      const lawyer = await buildUser(suite.services, "lawyer");
      const client = await buildClient(suite.services, partner.actor);
      const opened = await call("POST", `/clients/${client.id}/break-glass`, lawyer, { justification: "court_deadline", reference: "INC-2026-0015" });
      expect(opened.statusCode, opened.body).toBe(201);
      expect(opened.json().notified).toBeGreaterThanOrEqual(3); // the compliance officers built above
      const note = await inbox(compliance, "break_glass.opened");
      expect(note.map((n) => n.payload.data)).toEqual([{ breakGlassId: opened.json().id, userId: lawyer.actor.userId, expiresAt: opened.json().expiresAt }]);

      const mine = await call("GET", "/break-glass/mine", lawyer);
      expect(mine.json().items.map((i: { id: string }) => i.id)).toEqual([opened.json().id]);
      expect((await call("GET", "/break-glass/mine", partner)).json().items).toEqual([]);
      const auditor = await buildUser(suite.services, "auditor");
      expect((await call("GET", "/break-glass/mine", auditor)).statusCode).toBe(403);
      const event = await suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "break_glass.list_own")
        .where("actor_id", "=", lawyer.actor.userId)
        .executeTakeFirstOrThrow();
      expect(JSON.parse(event.details!)).toEqual({ results: 1 });
    });
  });
}
