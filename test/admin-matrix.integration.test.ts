/**
 * The administration matrix (issue #10, "No back doors"): for every role, API tokens for oneself
 * and for another user, one's own role and another's (to L1/L2, to L3+, with and without the
 * second approver), access conditions for oneself and for others, and listing and revoking tokens,
 * on both engines, through the HTTP API, each with its audit event.
 *
 * The expected outcomes come from ADMIN_FACTS and `expected*()` below: an oracle written from the
 * requirements, deliberately NOT computed by calling src/access/policy/policy.ts.
 */
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR, createToken } from "../src/identity/users/user-admin.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { mfaSession } from "./support/mfa-session.js";

// ---------------------------------------------------------------------------------------------
// The oracle, restated independently of src/access/policy/roles.ts and policy.ts.
// ---------------------------------------------------------------------------------------------

type Role = "admin" | "partner" | "lawyer" | "paralegal" | "compliance" | "auditor" | "records-clerk";

interface AdminFacts {
  /** Creates accounts and changes other people's roles (user administration). */
  administersUsers: boolean;
  /** Lists and revokes everyone's API tokens (token administration); never mints them for others. */
  administersTokens: boolean;
  /** Records confidentiality agreements and privacy training (compliance), never their own. */
  recordsAccessConditions: boolean;
  /** Approves a role at L3+ (compliance officer or partner), never their own request or their own role. */
  approvesRoleGrants: boolean;
}

const ADMIN_FACTS: Record<Role, AdminFacts> = {
  admin: { administersUsers: true, administersTokens: true, recordsAccessConditions: false, approvesRoleGrants: false },
  partner: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: true },
  lawyer: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  paralegal: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  compliance: { administersUsers: false, administersTokens: false, recordsAccessConditions: true, approvesRoleGrants: true },
  auditor: { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
  "records-clerk": { administersUsers: false, administersTokens: false, recordsAccessConditions: false, approvesRoleGrants: false },
};
const ROLES = Object.keys(ADMIN_FACTS) as Role[];

/** An answer and the audit event it leaves: outcome and reason (null for a success). */
interface Expected {
  status: number;
  code: string | null;
  outcome: "success" | "denied";
}
const ok = (status = 200): Expected => ({ status, code: null, outcome: "success" });
const no = (code: string): Expected => ({ status: 403, code, outcome: "denied" });

/** Minting an API token. Over a bearer token nobody may (no second factor is ever proven by one). */
function expectedToken(target: "self" | "other", via: "fresh_session" | "bearer"): Expected {
  if (target === "other") return no("token_for_other_user");
  return via === "bearer" ? no("recent_mfa_required") : ok(201);
}

/** Changing a role: user administration only, never one's own; L3+ waits for approval (202). */
function expectedRoleChange(role: Role, target: "self" | "other", to: "L1/L2" | "L3+"): Expected {
  if (!ADMIN_FACTS[role].administersUsers) return no("role_lacks_permission");
  if (target === "self") return no("self_role_change");
  return ok(to === "L3+" ? 202 : 200);
}

/** Approving an L3+ role grant that the suite's admin filed for someone else. */
function expectedApproval(role: Role, isRequester: boolean): Expected {
  if (isRequester) return no("self_approval_forbidden");
  return ADMIN_FACTS[role].approvesRoleGrants ? ok() : no("not_an_approver");
}

function expectedAccessConditions(role: Role, target: "self" | "other"): Expected {
  if (!ADMIN_FACTS[role].recordsAccessConditions) return no("role_lacks_permission");
  return target === "self" ? no("self_record_forbidden") : ok();
}

function expectedTokenAdmin(role: Role, whose: "own" | "other" | "all"): Expected {
  return whose === "own" || ADMIN_FACTS[role].administersTokens ? ok() : no("role_lacks_permission");
}

// ---------------------------------------------------------------------------------------------

for (const dialect of DIALECTS) {
  describe(`${dialect}: administration matrix (issue #10)`, () => {
    let services: Services;
    let app: FastifyInstance;
    const actors = {} as Record<Role, TestUser>;
    const sessions = {} as Record<Role, Record<string, string>>;
    let bystander!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      for (const role of ROLES) actors[role] = await buildUser(services, role);
      bystander = await buildUser(services, "paralegal");
      for (const role of ROLES) sessions[role] = await mfaSession(app, actors[role].email);
    });

    const call = (method: "GET" | "POST" | "PUT", headers: Record<string, string>, url: string, payload?: object) =>
      app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });
    /** The answer matches and the latest event of `action` by the actor records it. */
    async function check(label: string, res: Awaited<ReturnType<typeof call>>, want: Expected, action: string, actor: TestUser) {
      expect([label, res.statusCode, res.statusCode >= 400 ? res.json().error.code : null], res.body).toEqual([label, want.status, want.code]);
      const event = await services.engine.db
        .selectFrom("audit_events")
        .select(["outcome", "reason"])
        .where("action", "=", action)
        .where("actor_id", "=", actor.actor.userId)
        .orderBy("seq", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      expect([label, event.outcome, event.reason]).toEqual([label, want.outcome, want.code]);
    }

    it("API tokens: for oneself from a fresh second factor, never over a bearer token, never for another user", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        const cases = [
          ["self", "fresh_session", sessions[role], me.actor.userId],
          ["self", "bearer", auth(me.token), me.actor.userId],
          ["other", "fresh_session", sessions[role], bystander.actor.userId],
          ["other", "bearer", auth(me.token), bystander.actor.userId],
        ] as const;
        for (const [target, via, headers, userId] of cases) {
          const res = await call("POST", headers, "/tokens", { userId, name: `${role} ${target}` });
          await check(`${role} token for ${target} via ${via}`, res, expectedToken(target, via), "token.create", me);
          if (res.statusCode === 201) expect(res.json().userId).toBe(me.actor.userId);
        }
      }
      // Nobody minted one for the bystander.
      const theirs = await services.engine.db.selectFrom("api_tokens").select("created_by").where("user_id", "=", bystander.actor.userId).execute();
      expect(theirs.map((t) => t.created_by)).toEqual(["system:console"]);
    });

    it("roles: one's own never; another's to L1/L2 at once and to L3+ only through a second approver", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const to of ["L1/L2", "L3+"] as const) {
          const newRole = to === "L3+" ? "lawyer" : "records-clerk";
          const own = await call("PUT", auth(me.token), `/users/${me.actor.userId}/role`, { role: newRole });
          await check(`${role} own role to ${to}`, own, expectedRoleChange(role, "self", to), "user.set_role", me);
          expect((await services.engine.db.selectFrom("users").select("role").where("id", "=", me.actor.userId).executeTakeFirstOrThrow()).role).toBe(role);

          const subject = await buildUser(services, "paralegal");
          const res = await call("PUT", auth(me.token), `/users/${subject.actor.userId}/role`, { role: newRole });
          const want = expectedRoleChange(role, "other", to);
          // A role at L3+ is filed as an approval request, audited as such; nothing changes yet.
          await check(`${role} another's role to ${to}`, res, want, want.status === 202 ? "approval.request" : "user.set_role", me);
          const now = (await services.engine.db.selectFrom("users").select("role").where("id", "=", subject.actor.userId).executeTakeFirstOrThrow()).role;
          expect([`${role} → ${to}`, now]).toEqual([`${role} → ${to}`, want.status === 200 ? newRole : "paralegal"]);
        }
      }
    });

    it("roles at L3+ with approval: a compliance officer or a partner approves, never the requester", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        const subject = await buildUser(services, "paralegal");
        const filed = await call("PUT", auth(actors.admin.token), `/users/${subject.actor.userId}/role`, { role: "lawyer" });
        expect(filed.statusCode, filed.body).toBe(202);
        const approvalId = filed.json().pendingApproval.id as string;
        const res = await call("POST", auth(me.token), `/approvals/${approvalId}/approve`);
        const want = expectedApproval(role, role === "admin");
        await check(`${role} approves a role grant`, res, want, "approval.approve", me);
        const now = (await services.engine.db.selectFrom("users").select("role").where("id", "=", subject.actor.userId).executeTakeFirstOrThrow()).role;
        expect([role, now]).toEqual([role, want.outcome === "success" ? "lawyer" : "paralegal"]);
      }
    });

    it("access conditions: compliance records them for others, nobody for themselves, the admin never", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const target of ["self", "other"] as const) {
          const userId = target === "self" ? me.actor.userId : bystander.actor.userId;
          const agreement = await call("POST", auth(me.token), `/users/${userId}/agreement`, { version: 1 });
          await check(`${role} agreement for ${target}`, agreement, expectedAccessConditions(role, target), "user.agreement_record", me);
          const training = await call("POST", auth(me.token), `/users/${userId}/training`, { expiresOn: "2099-12-31" });
          await check(`${role} training for ${target}`, training, expectedAccessConditions(role, target), "user.training_record", me);
        }
      }
    });

    it("listing and revoking tokens: one's own always, everyone's only for token administration", async () => {
      for (const role of ROLES) {
        const me = actors[role];
        for (const [whose, query] of [
          ["all", ""],
          ["own", `?userId=${me.actor.userId}`],
          ["other", `?userId=${bystander.actor.userId}`],
        ] as const) {
          const res = await call("GET", auth(me.token), `/tokens${query}`);
          await check(`${role} lists ${whose} tokens`, res, expectedTokenAdmin(role, whose), "token.list", me);
        }
        const own = await createToken(services, CONSOLE_OPERATOR, { id: me.actor.userId, name: "to revoke" }, "t");
        const other = await createToken(services, CONSOLE_OPERATOR, { id: bystander.actor.userId, name: "to revoke" }, "t");
        for (const [whose, token] of [
          ["own", own],
          ["other", other],
        ] as const) {
          const res = await call("POST", auth(me.token), `/tokens/${token.id}/revoke`);
          await check(`${role} revokes ${whose} token`, res, expectedTokenAdmin(role, whose), "token.revoke", me);
          const row = await services.engine.db.selectFrom("api_tokens").select("revoked_at").where("id", "=", token.id).executeTakeFirstOrThrow();
          expect([role, whose, row.revoked_at !== null]).toEqual([role, whose, res.statusCode === 200]);
        }
      }
    });
  });
}
