import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { CONSOLE_OPERATOR, createToken } from "../src/identity/users/user-admin.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildUser, TEST_PASSWORD, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";
import { mfaSession, SAME_ORIGIN } from "./support/mfa-session.js";

for (const dialect of DIALECTS) {
  describe(`${dialect}: administration API`, () => {
    let services: Services;
    let app: FastifyInstance;
    let admin!: TestUser, lawyer!: TestUser, partner!: TestUser;

    const suite = httpSuite(dialect);
    beforeAll(async () => {
      ({ services, app } = suite);
      admin = await buildUser(services, "admin");
      lawyer = await buildUser(services, "lawyer");
      partner = await buildUser(services, "partner");
    });

    const call = (method: "GET" | "POST" | "PUT", token: string, url: string, payload?: object, headers: Record<string, string> = {}) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { ...auth(token), ...headers }, ...(payload ? { payload } : {}) });
    const lastEvent = (action: string) =>
      services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow();
    let serial = 0;
    const newEmail = () => `staff-${++serial}-${dialect}@firm.test`;

    it("two simultaneous creations of the same user give one 201 and one 409, never a 500", async () => {
      const email = newEmail();
      const answers = await Promise.all([0, 1, 2].map(() => call("POST", admin.token, "/users", { email, role: "paralegal", password: TEST_PASSWORD })));
      const codes = answers.map((a) => a.statusCode).sort();
      expect(codes).toEqual([201, 409, 409]);
      for (const a of answers.filter((x) => x.statusCode === 409)) expect(["user_exists", "duplicate_record"]).toContain(a.json().error.code);
      const list = (await call("GET", admin.token, "/users")).json() as { items: { email: string }[] };
      expect(list.items.filter((u) => u.email === email)).toHaveLength(1);
    });

    it("lets an admin add, list, re-role and disable staff, each audited", async () => {
      const email = newEmail();
      const created = await call("POST", admin.token, "/users", { email, role: "paralegal", displayName: "Li Na", password: TEST_PASSWORD });
      expect(created.statusCode, created.body).toBe(201);
      const user = created.json();
      expect(user).toMatchObject({ email, role: "paralegal", displayName: "Li Na", status: "active", approvalId: null });
      const createEvent = await lastEvent("user.create");
      expect(createEvent).toMatchObject({ actor_id: admin.actor.userId, target_id: user.id, outcome: "success" });
      expect(createEvent.details).not.toContain(email);
      expect(createEvent.details).not.toContain(TEST_PASSWORD);

      const list = await call("GET", admin.token, "/users");
      expect(list.statusCode).toBe(200);
      const listed = list.json().items.find((u: { id: string }) => u.id === user.id);
      expect(listed).toEqual({
        id: user.id,
        email,
        displayName: "Li Na",
        role: "paralegal",
        status: "active",
        supervisorId: null,
        mfaEnrolled: false,
        createdAt: user.createdAt,
        disabledAt: null,
        pendingRole: null,
      });
      expect(list.json().items.map((u: { id: string }) => u.id)).toEqual(expect.arrayContaining([admin.actor.userId, lawyer.actor.userId]));
      expect(list.body).not.toMatch(/argon2|password|secret/i);

      // The new role applies on the user's next request (a token from the console, the bootstrap path:
      // an admin cannot mint one for someone else).
      const { token } = await createToken(services, CONSOLE_OPERATOR, { id: user.id, name: "console test" }, "test");
      expect((await call("GET", token, "/users")).statusCode).toBe(403);
      const moved = await call("PUT", admin.token, `/users/${user.id}/role`, { role: "admin" });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json()).toEqual({ id: user.id, role: "admin", pendingApproval: null });
      expect(await lastEvent("user.set_role")).toMatchObject({
        target_id: user.id,
        outcome: "success",
        details: JSON.stringify({ from: "paralegal", to: "admin" }),
      });
      expect((await call("GET", token, "/users")).statusCode).toBe(200);

      const disabled = await call("POST", admin.token, `/users/${user.id}/disable`);
      expect(disabled.statusCode, disabled.body).toBe(200);
      expect(disabled.json()).toMatchObject({ id: user.id, status: "disabled", tokensRevoked: 1 });
      expect(await lastEvent("user.disable")).toMatchObject({ target_id: user.id, outcome: "success" });
      const after = (await call("GET", admin.token, "/users")).json().items.find((u: { id: string }) => u.id === user.id);
      expect(after).toMatchObject({ status: "disabled", disabledAt: expect.any(String) });

      expect((await call("POST", admin.token, "/users/no-such-user/disable")).json().error.code).toBe("not_found");
      expect((await call("POST", admin.token, "/users", { email, role: "lawyer", password: TEST_PASSWORD })).json().error.code).toBe("user_exists");
    });

    it("refuses a lawyer with 403 and audits every denial", async () => {
      const target = await buildUser(services, "paralegal");
      const attempts = [
        { method: "GET", url: "/users", action: "user.list", reason: "role_lacks_permission" },
        {
          method: "POST",
          url: "/users",
          payload: { email: newEmail(), role: "admin", password: TEST_PASSWORD },
          action: "user.create",
          reason: "role_lacks_permission",
        },
        { method: "POST", url: `/users/${target.actor.userId}/disable`, action: "user.disable", reason: "role_lacks_permission" },
        { method: "PUT", url: `/users/${target.actor.userId}/role`, payload: { role: "admin" }, action: "user.set_role", reason: "role_lacks_permission" },
        { method: "GET", url: "/tokens", action: "token.list", reason: "role_lacks_permission" },
        { method: "POST", url: "/tokens", payload: { userId: target.actor.userId, name: "theirs" }, action: "token.create", reason: "token_for_other_user" },
        // Their own token, but over a bearer token: no second factor was proven.
        { method: "POST", url: "/tokens", payload: { userId: lawyer.actor.userId, name: "mine" }, action: "token.create", reason: "recent_mfa_required" },
        { method: "GET", url: "/keys", action: "key.list", reason: "role_lacks_permission" },
        { method: "POST", url: "/keys/rotate", action: "key.rotate", reason: "role_lacks_permission" },
      ] as const;
      for (const a of attempts) {
        const res = await call(a.method, lawyer.token, a.url, "payload" in a ? a.payload : undefined);
        expect([a.url, res.statusCode, res.json().error.code]).toEqual([a.url, 403, a.reason]);
        expect(await lastEvent(a.action), a.action).toMatchObject({
          actor_id: lawyer.actor.userId,
          actor_role: "lawyer",
          outcome: "denied",
          reason: a.reason,
        });
      }
      // Nothing happened: the target is active, still a paralegal, and no user or token was made.
      const row = await services.engine.db.selectFrom("users").select(["role", "status"]).where("id", "=", target.actor.userId).executeTakeFirstOrThrow();
      expect(row).toEqual({ role: "paralegal", status: "active" });
      expect((await call("GET", target.token, "/purposes")).statusCode).toBe(200);
      const lawyerTokens = await services.engine.db.selectFrom("api_tokens").select("id").where("user_id", "=", lawyer.actor.userId).execute();
      expect(lawyerTokens).toHaveLength(1);
      const keys = await services.engine.db.selectFrom("key_versions").select("version").execute();
      expect(keys).toHaveLength(1);
    });

    it("disabling a user ends their sessions and tokens at once", async () => {
      const leaver = await buildUser(services, "paralegal");
      const login = await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: leaver.email, password: TEST_PASSWORD } });
      expect(login.json().status).toBe("signed_in");
      const cookie = `custodia_session=${login.cookies.find((c) => c.name === "custodia_session")!.value}`;
      const me = () => app.inject({ method: "GET", url: "/api/v1/auth/me", headers: { cookie } });
      expect((await me()).statusCode).toBe(200);
      expect((await call("GET", leaver.token, "/purposes")).statusCode).toBe(200);

      const res = await call("POST", admin.token, `/users/${leaver.actor.userId}/disable`);
      expect(res.json()).toMatchObject({ status: "disabled", sessionsRevoked: 1, tokensRevoked: 1 });
      expect((await me()).statusCode).toBe(401);
      const byToken = await call("GET", leaver.token, "/purposes");
      expect([byToken.statusCode, byToken.json().error.code]).toEqual([401, "authentication_required"]);
      expect((await app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email: leaver.email, password: TEST_PASSWORD } })).statusCode).toBe(401);
    });

    it("shows a new token's secret once, never lists it, and a revoked token stops at once", async () => {
      // The partner mints their own, from a browser session that has just proven its second factor.
      const session = await mfaSession(app, partner.email);
      const created = await app.inject({
        method: "POST",
        url: "/api/v1/tokens",
        headers: session,
        payload: { userId: partner.actor.userId, name: "billing-export", expiresInDays: 30 },
      });
      expect(created.statusCode, created.body).toBe(201);
      const issued = created.json();
      expect(issued.token).toMatch(/^cst_[A-Za-z0-9_-]{12}\.[A-Za-z0-9_-]{43}$/);
      expect(issued).toMatchObject({ userId: partner.actor.userId, name: "billing-export", expiresAt: expect.any(String) });
      expect(issued.token.startsWith(`cst_${issued.id}.`)).toBe(true);
      const secret = issued.token.split(".")[1] as string;
      const hash = (await services.engine.db.selectFrom("api_tokens").select("secret_hash").where("id", "=", issued.id).executeTakeFirstOrThrow()).secret_hash;

      const list = await call("GET", admin.token, `/tokens?userId=${partner.actor.userId}`);
      expect(list.statusCode).toBe(200);
      expect(list.json().items.map((t: { id: string }) => t.id)).toContain(issued.id);
      expect(list.json().items.every((t: { userId: string }) => t.userId === partner.actor.userId)).toBe(true);
      expect(list.json().items.find((t: { id: string }) => t.id === issued.id)).toEqual({
        id: issued.id,
        userId: partner.actor.userId,
        name: "billing-export",
        createdAt: issued.createdAt,
        expiresAt: issued.expiresAt,
        revoked: false,
        revokedAt: null,
        createdBy: partner.actor.userId,
        lastUsedAt: null,
      });
      const all = await call("GET", admin.token, "/tokens");
      for (const body of [list.body, all.body]) {
        expect(body).not.toContain(secret);
        expect(body).not.toContain(hash);
      }
      const events = await services.engine.db.selectFrom("audit_events").select("details").execute();
      expect(events.some((e) => e.details?.includes(secret) || e.details?.includes(hash))).toBe(false);
      expect(suite.logs.join("")).not.toContain(secret);

      expect((await call("GET", issued.token, "/purposes")).statusCode).toBe(200);
      const used = (await call("GET", admin.token, `/tokens?userId=${partner.actor.userId}`)).json().items.find((t: { id: string }) => t.id === issued.id);
      expect(Date.parse(used.lastUsedAt)).toBeGreaterThanOrEqual(Date.parse(issued.createdAt));
      const revoked = await call("POST", admin.token, `/tokens/${issued.id}/revoke`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json()).toMatchObject({ id: issued.id, userId: partner.actor.userId, revoked: true });
      expect(await lastEvent("token.revoke")).toMatchObject({ actor_id: admin.actor.userId, target_id: issued.id, outcome: "success" });
      const refused = await call("GET", issued.token, "/purposes");
      expect([refused.statusCode, refused.json().error.code]).toEqual([401, "authentication_required"]);
      expect((await call("GET", partner.token, "/purposes")).statusCode).toBe(200); // their other token still works

      const again = await call("POST", admin.token, `/tokens/${issued.id}/revoke`);
      expect([again.statusCode, again.json().error.code]).toEqual([409, "token_revoked"]);
      expect((await call("POST", admin.token, "/tokens/AAAAAAAAAAAA/revoke")).statusCode).toBe(404);
      const byLawyer = await call("POST", lawyer.token, `/tokens/${issued.id}/revoke`);
      expect([byLawyer.statusCode, (await lastEvent("token.revoke")).outcome]).toEqual([403, "denied"]);
      expect((await call("GET", admin.token, "/tokens")).json().items.find((t: { id: string }) => t.id === issued.id)).toMatchObject({
        revoked: true,
        revokedAt: expect.any(String),
      });
    });

    it("rotates the key-encryption key, and reads keep working", async () => {
      const clients = [await buildClient(services, partner.actor), await buildClient(services, partner.actor, { name: "赵六" })];
      const before = await call("GET", admin.token, "/keys");
      expect(before.statusCode).toBe(200);
      expect(before.json().items).toEqual([{ version: 1, status: "active", createdAt: expect.any(String), retiredAt: null, dataKeys: 2 }]);
      expect(before.body).not.toMatch(/wrapped/i);

      const rotated = await call("POST", admin.token, "/keys/rotate");
      expect(rotated.statusCode, rotated.body).toBe(200);
      expect(rotated.json()).toEqual({ version: 2, rewrapped: 2 });
      const phases = await services.engine.db
        .selectFrom("audit_events")
        .select("details")
        .where("action", "=", "key.rotate")
        .where("outcome", "=", "success")
        .orderBy("seq")
        .execute();
      expect(phases.map((e) => JSON.parse(e.details!).phase)).toEqual(["activated", "rewrapped"]);

      const after = (await call("GET", admin.token, "/keys")).json().items;
      expect(after).toEqual([
        { version: 1, status: "retired", createdAt: expect.any(String), retiredAt: expect.any(String), dataKeys: 0 },
        { version: 2, status: "active", createdAt: expect.any(String), retiredAt: null, dataKeys: 2 },
      ]);
      const read = await app.inject({ method: "GET", url: `/api/v1/clients/${clients[1]!.id}`, headers: auth(partner.token, "case-handling") });
      expect(read.statusCode, read.body).toBe(200);
      expect(read.json().name).toBe("赵六");
    });

    it("lists the purpose registry for any signed-in staff member", async () => {
      const res = await call("GET", lawyer.token, "/purposes");
      expect(res.statusCode).toBe(200);
      const items = res.json().items as { code: string; nameZh: string; nameEn: string; legalBasis: string }[];
      expect(items.map((p) => p.code)).toEqual(expect.arrayContaining(["case-handling", "conflict-check", "billing", "marketing"]));
      expect(items.find((p) => p.code === "case-handling")).toMatchObject({
        nameZh: expect.any(String),
        nameEn: expect.any(String),
        legalBasis: expect.any(String),
      });
      expect(await lastEvent("purpose.list")).toMatchObject({ actor_id: lawyer.actor.userId, outcome: "success" });
      expect((await app.inject({ method: "GET", url: "/api/v1/purposes" })).statusCode).toBe(401);
    });

    it("answers bad input with a stable code and per-field messages", async () => {
      const weak = await call("POST", admin.token, "/users", { email: newEmail(), role: "lawyer", password: "short" });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error).toMatchObject({ code: "validation_error", fields: [{ field: "password", code: "too_short", message: expect.any(String) }] });
      const common = await call("POST", admin.token, "/users", { email: newEmail(), role: "lawyer", password: "Password1234" }, { "accept-language": "zh-CN" });
      expect(common.json().error).toEqual({
        code: "validation_error",
        message: "请求无效，请查看各字段的说明。",
        fields: [{ field: "password", code: "common_password", message: "该密码过于常见，请另选一个。" }],
      });
      const badRole = await call("POST", admin.token, "/users", { email: newEmail(), role: "overlord", password: TEST_PASSWORD });
      expect(badRole.statusCode).toBe(400);
      expect(badRole.json().error.code).toBe("validation_error");
      expect(badRole.json().error.fields.map((f: { field: string }) => f.field)).toEqual(["role"]);
      const badRoleChange = await call("PUT", admin.token, `/users/${lawyer.actor.userId}/role`, { role: "root" });
      expect([badRoleChange.statusCode, badRoleChange.json().error.fields[0].field]).toEqual([400, "role"]);
      const badEmail = await call("POST", admin.token, "/users", { email: "not-an-email", role: "lawyer", password: TEST_PASSWORD });
      expect(badEmail.json().error.fields).toEqual([{ field: "email", code: "format", message: expect.any(String) }]);
      const extra = await call("POST", admin.token, "/users", { email: newEmail(), role: "lawyer", password: TEST_PASSWORD, isRoot: true });
      expect(extra.json().error.fields).toEqual([{ field: "isRoot", code: "unknown_field", message: expect.any(String) }]);
      const session = await mfaSession(app, admin.email);
      const badName = await app.inject({ method: "POST", url: "/api/v1/tokens", headers: session, payload: { name: "<script>" } });
      expect([badName.statusCode, badName.json().error.fields[0]]).toEqual([400, expect.objectContaining({ field: "name", code: "format" })]);
      expect(await lastEvent("token.create")).toMatchObject({ actor_id: admin.actor.userId, outcome: "failure", reason: "validation_error" });
      // An unknown id is refused as someone else's: token creation cannot probe for accounts.
      const noUser = await app.inject({ method: "POST", url: "/api/v1/tokens", headers: session, payload: { userId: "nobody", name: "x" } });
      expect([noUser.statusCode, noUser.json().error.code]).toEqual([403, "token_for_other_user"]);
      // A weak password never reaches the logs or the audit log.
      expect(suite.logs.join("")).not.toContain("Password1234");
      const details = await services.engine.db.selectFrom("audit_events").select("details").execute();
      expect(details.some((e) => e.details?.includes("Password1234") || e.details?.includes(TEST_PASSWORD))).toBe(false);
      expect(lawyer.actor.role).toBe("lawyer");
      expect((await services.engine.db.selectFrom("users").select("role").where("id", "=", lawyer.actor.userId).executeTakeFirstOrThrow()).role).toBe("lawyer");
    });

    it("checks CSRF on cookie sessions and publishes every route in the OpenAPI document", async () => {
      // An admin signed in from a browser: a cross-site POST is refused before anything runs.
      const { cookie } = await mfaSession(app, admin.email);
      const crossSite = await app.inject({ method: "POST", url: "/api/v1/keys/rotate", headers: { cookie, "sec-fetch-site": "cross-site" } });
      expect([crossSite.statusCode, crossSite.json().error.code]).toEqual([403, "csrf_rejected"]);
      const listed = await app.inject({ method: "GET", url: "/api/v1/users", headers: { cookie, ...SAME_ORIGIN } });
      expect(listed.statusCode).toBe(200);

      const doc = (await app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      const expected: [string, string, string][] = [
        ["/api/v1/users", "get", "users"],
        ["/api/v1/users", "post", "users"],
        ["/api/v1/users/{id}/disable", "post", "users"],
        ["/api/v1/users/{id}/role", "put", "users"],
        ["/api/v1/tokens", "get", "tokens"],
        ["/api/v1/tokens", "post", "tokens"],
        ["/api/v1/tokens/{id}/revoke", "post", "tokens"],
        ["/api/v1/keys", "get", "keys"],
        ["/api/v1/keys/rotate", "post", "keys"],
        ["/api/v1/purposes", "get", "purposes"],
      ];
      for (const [path, method, tag] of expected) {
        const op = doc.paths[path]?.[method];
        expect(op, `${method} ${path}`).toBeDefined();
        expect(op.tags).toEqual([tag]);
        expect(op.summary).toEqual(expect.any(String));
      }
    });
  });
}
