import { describe, expect, it } from "vitest";
import { ROLE_DEFINITIONS, type Role } from "../src/access/policy/roles.js";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { timeStep, totpCode } from "../src/identity/auth/totp.js";
import { CONSOLE_OPERATOR, disableUser, setUserRole } from "../src/identity/users/user-admin.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, clientInput, TEST_PASSWORD, type TestUser } from "./support/factories.js";
import { auth, clockedSignInSuite } from "./support/http.js";

const MIN = 60_000;
const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };

for (const dialect of DIALECTS) {
  describe(`${dialect}: staff sign-in with MFA`, () => {
    const suite = clockedSignInSuite(dialect);
    const secretsSeen: string[] = [];
    const login = (email: string, password: string, ip: string) =>
      suite.app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email, password },
        remoteAddress: ip,
        headers: { "user-agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0" },
      });
    const sessionCookie = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === "custodia_session")?.value;
    const withCookie = (cookie: string, extra: Record<string, string> = {}) => ({ cookie: `custodia_session=${cookie}`, ...extra });
    const post = (url: string, cookie: string, payload?: object, headers: Record<string, string> = SAME_ORIGIN, ip = "10.9.9.9") =>
      suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: withCookie(cookie, headers), remoteAddress: ip, ...(payload ? { payload } : {}) });
    const get = (url: string, cookie: string) => suite.app.inject({ method: "GET", url: `/api/v1${url}`, headers: withCookie(cookie) });
    const events = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "asc").execute();
    const lastEvent = async (action: string) => (await events(action)).at(-1);
    const codeNow = (secret: string, offset = 0) => totpCode(secret, timeStep(suite.now) + offset);
    /** A code that matches no step in the accepted window. */
    const wrongCode = (secret: string) => {
      const window = [-1, 0, 1].map((d) => codeNow(secret, d));
      for (let n = 0; ; n++) if (!window.includes(String(n).padStart(6, "0"))) return String(n).padStart(6, "0");
    };

    async function signedIn(role: Role, ip = suite.newAddress()): Promise<{ user: TestUser; cookie: string }> {
      const user = await buildUser(suite.services, role);
      const res = await login(user.email, TEST_PASSWORD, ip);
      expect(res.json().status).toBe("signed_in");
      return { user, cookie: sessionCookie(res)! };
    }

    /** A lawyer who has enrolled TOTP; returns the seed and recovery codes, signed out again. */
    async function enrolledLawyer(ip = suite.newAddress()) {
      const user = await buildUser(suite.services, "lawyer");
      const first = await login(user.email, TEST_PASSWORD, ip);
      expect(first.json().status).toBe("enrolment_required");
      const cookie = sessionCookie(first)!;
      const { secret } = (await post("/auth/totp/enrol", cookie)).json();
      const confirmed = await post("/auth/totp/confirm", cookie, { code: codeNow(secret) });
      expect(confirmed.statusCode).toBe(200);
      secretsSeen.push(secret, ...confirmed.json().recoveryCodes);
      await post("/auth/logout", sessionCookie(confirmed)!);
      suite.now += 30_000; // the enrolment code's step is spent
      return { user, secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
    }

    it("gives the identical error for an unknown email and a wrong password", async () => {
      const { user } = await signedIn("paralegal");
      const ip = suite.newAddress();
      const unknown = await login("nobody-here@firm.test", TEST_PASSWORD, ip);
      const wrong = await login(user.email, "not the right password at all", ip);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      const body = (r: typeof unknown) => ({ ...r.json(), requestId: "-" });
      expect(body(unknown)).toEqual(body(wrong));
      expect(body(unknown).error.code).toBe("invalid_credentials");
      expect(sessionCookie(unknown)).toBeUndefined();
      const failures = (await events("auth.login")).filter((e) => e.outcome === "failure").slice(-2);
      expect(failures.map((e) => e.reason)).toEqual(["unknown_email", "wrong_password"]);
      expect(failures[0]!.target_id).toBeNull();
    });

    it("signs a paralegal straight in with a strict httpOnly cookie; the session lists and works", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const res = await login(user.email, TEST_PASSWORD, suite.newAddress());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: "signed_in" });
      const setCookie = String(res.headers["set-cookie"]);
      expect(setCookie).toMatch(/^custodia_session=[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43};/);
      expect(setCookie).toContain("HttpOnly");
      expect(setCookie).toContain("SameSite=Strict");
      expect(setCookie).toContain("Path=/");
      expect(setCookie).not.toContain("Secure"); // plain HTTP on loopback
      const cookie = sessionCookie(res)!;
      const stored = await suite.services.engine.db.selectFrom("sessions").selectAll().where("user_id", "=", user.actor.userId).executeTakeFirstOrThrow();
      expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.secret_hash).not.toContain(cookie.split(".")[1]);
      expect(stored.user_agent).toBe("Firefox 128 on Windows");

      const me = await get("/auth/me", cookie);
      expect(me.json()).toEqual({
        userId: user.actor.userId,
        // The user menu shows who is signed in (issue #15); with no display name set, the email's local part.
        displayName: user.email.split("@")[0],
        email: user.email,
        role: "paralegal",
        clearance: 2,
        permissions: [...ROLE_DEFINITIONS.paralegal.permissions].sort(),
        mfa: { required: false, enrolled: false },
        session: { kind: "full", absoluteExpiresAt: stored.absolute_expires_at },
      });
      const list = (await get("/auth/sessions", cookie)).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ id: stored.id, current: true, userAgent: "Firefox 128 on Windows" });
      const created = await post("/clients", cookie, clientInput());
      expect(created.statusCode).toBe(201);
      expect(await lastEvent("client.create")).toMatchObject({ actor_id: user.actor.userId, outcome: "success" });
    });

    it("makes a lawyer (L3) enrol TOTP before anything else, then issues a full session and recovery codes", async () => {
      const user = await buildUser(suite.services, "lawyer");
      const first = await login(user.email, TEST_PASSWORD, suite.newAddress());
      expect(first.json().status).toBe("enrolment_required");
      const enrolOnly = sessionCookie(first)!;
      const blocked = await get("/audit", enrolOnly);
      expect([blocked.statusCode, blocked.json().error.code]).toEqual([403, "mfa_enrolment_required"]);
      const clientsBlocked = await post("/clients", enrolOnly, clientInput());
      expect(clientsBlocked.json().error.code).toBe("mfa_enrolment_required");
      expect((await get("/auth/me", enrolOnly)).json()).toMatchObject({ mfa: { required: true, enrolled: false }, session: { kind: "enrolment" } });

      const enrol = await post("/auth/totp/enrol", enrolOnly);
      expect(enrol.statusCode).toBe(200);
      const { secret, uri } = enrol.json();
      expect(uri).toContain(`secret=${secret}`);
      const row = await suite.services.engine.db.selectFrom("totp_enrolments").selectAll().where("user_id", "=", user.actor.userId).executeTakeFirstOrThrow();
      expect(Buffer.from(row.secret_ct).includes(Buffer.from(secret))).toBe(false); // sealed by the vault
      expect(row.confirmed_at).toBeNull();

      const wrongCode = codeNow(secret) === "000000" ? "111111" : "000000";
      const wrong = await post("/auth/totp/confirm", enrolOnly, { code: wrongCode });
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, "mfa_code_invalid"]);
      const confirmed = await post("/auth/totp/confirm", enrolOnly, { code: codeNow(secret) });
      expect(confirmed.statusCode).toBe(200);
      const codes: string[] = confirmed.json().recoveryCodes;
      secretsSeen.push(secret, ...codes);
      expect(codes).toHaveLength(10);
      expect(new Set(codes).size).toBe(10);
      const full = sessionCookie(confirmed)!;
      expect(full).not.toBe(enrolOnly);
      expect((await get("/auth/me", enrolOnly)).statusCode).toBe(401); // replaced, not upgraded
      expect((await get("/auth/me", full)).json()).toMatchObject({
        role: "lawyer",
        clearance: 3,
        mfa: { required: true, enrolled: true },
        session: { kind: "full" },
      });
      // The role's permissions, straight from the role table: a lawyer may read clients, never manage users.
      const permissions = (await get("/auth/me", full)).json().permissions as string[];
      expect(permissions).toContain("client.read");
      expect(permissions).not.toContain("user.manage");
      expect((await post("/clients", full, clientInput())).statusCode).toBe(201);
      expect((await post("/auth/totp/enrol", full)).json().error.code).toBe("totp_already_enrolled");
      expect(await lastEvent("auth.totp.confirm")).toMatchObject({ actor_id: user.actor.userId, outcome: "success" });
      const hashes = await suite.services.engine.db.selectFrom("recovery_codes").select("code_hash").where("user_id", "=", user.actor.userId).execute();
      expect(hashes).toHaveLength(10);
      expect(hashes.map((h) => h.code_hash)).not.toContain(codes[0]);
    });

    it("accepts a TOTP code once, refuses a wrong one and a replayed one, each audited", async () => {
      const { user, secret } = await enrolledLawyer();
      const ip = suite.newAddress();
      const pending = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      const early = await get("/clients?name=x", pending);
      expect([early.statusCode, early.json().error.code]).toEqual([401, "mfa_required"]);

      const wrongCode = String((Number(codeNow(secret)) + 1) % 1_000_000).padStart(6, "0");
      const wrong = await post("/auth/totp", pending, { code: wrongCode }, SAME_ORIGIN, ip);
      expect([wrong.statusCode, wrong.json().error.code]).toEqual([401, "mfa_code_invalid"]);
      expect(await lastEvent("auth.totp")).toMatchObject({ actor_id: user.actor.userId, outcome: "failure", reason: "invalid_code" });

      const code = codeNow(secret);
      const ok = await post("/auth/totp", pending, { code }, SAME_ORIGIN, ip);
      expect(ok.statusCode).toBe(200);
      expect(ok.json().status).toBe("signed_in");
      const full = sessionCookie(ok)!;
      expect((await get("/auth/me", full)).json().session.kind).toBe("full");
      expect((await get("/auth/me", pending)).statusCode).toBe(401); // the pending session is spent
      expect(await lastEvent("auth.totp")).toMatchObject({ outcome: "success" });

      // The same code again (same 30 s step), in a new sign-in: a replay.
      const pending2 = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      const replay = await post("/auth/totp", pending2, { code }, SAME_ORIGIN, ip);
      expect([replay.statusCode, replay.json().error.code]).toEqual([401, "mfa_code_invalid"]);
      expect(await lastEvent("auth.totp")).toMatchObject({ outcome: "failure", reason: "replayed_code" });
      // So is the previous step's code, still inside the ±1 window.
      expect((await post("/auth/totp", pending2, { code: codeNow(secret, -1) }, SAME_ORIGIN, ip)).statusCode).toBe(401);
      suite.now += 30_000;
      expect((await post("/auth/totp", pending2, { code: codeNow(secret) }, SAME_ORIGIN, ip)).statusCode).toBe(200);
    });

    it("accepts a recovery code instead of TOTP, once only", async () => {
      const { user, recoveryCodes } = await enrolledLawyer();
      const ip = suite.newAddress();
      const pending = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      const used = await post("/auth/totp", pending, { recoveryCode: recoveryCodes[0]!.toUpperCase() }, SAME_ORIGIN, ip);
      expect(used.statusCode).toBe(200);
      expect(JSON.parse((await lastEvent("auth.recovery_code"))!.details!)).toMatchObject({ recoveryCodesLeft: 9 });

      const pending2 = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      const again = await post("/auth/totp", pending2, { recoveryCode: recoveryCodes[0]! }, SAME_ORIGIN, ip);
      expect([again.statusCode, again.json().error.code]).toEqual([401, "mfa_code_invalid"]);
      expect(await lastEvent("auth.recovery_code")).toMatchObject({ outcome: "failure", reason: "invalid_code" });
      expect((await post("/auth/totp", pending2, { recoveryCode: recoveryCodes[1]! }, SAME_ORIGIN, ip)).statusCode).toBe(200);

      // Regenerating replaces every old code.
      const pending3 = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      const full = sessionCookie(await post("/auth/totp", pending3, { recoveryCode: recoveryCodes[2]! }, SAME_ORIGIN, ip))!;
      const fresh = await post("/auth/recovery-codes", full, { password: TEST_PASSWORD });
      expect(fresh.statusCode).toBe(200);
      secretsSeen.push(...fresh.json().recoveryCodes);
      const pending4 = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
      expect((await post("/auth/totp", pending4, { recoveryCode: recoveryCodes[3]! }, SAME_ORIGIN, ip)).statusCode).toBe(401);
      expect((await post("/auth/totp", pending4, { recoveryCode: fresh.json().recoveryCodes[0] }, SAME_ORIGIN, ip)).statusCode).toBe(200);
    });

    it("locks an account after 5 failures, audits the lock, and doubles the lock next time", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const ip = suite.newAddress();
      for (let i = 0; i < 4; i++) expect((await login(user.email, `wrong password number ${i}`, ip)).statusCode).toBe(401);
      expect(await lastEvent("auth.lockout")).not.toMatchObject({ target_id: user.actor.userId });
      expect((await login(user.email, "wrong password number 4", ip)).statusCode).toBe(401);
      expect(await lastEvent("auth.lockout")).toMatchObject({ target_id: user.actor.userId, outcome: "denied", reason: "account_locked" });

      const locked = await login(user.email, TEST_PASSWORD, suite.newAddress()); // the right password, from elsewhere
      expect([locked.statusCode, locked.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect(sessionCookie(locked)).toBeUndefined();
      expect(await lastEvent("auth.login")).toMatchObject({ target_id: user.actor.userId, outcome: "denied", reason: "account_locked" });

      suite.now += 16 * MIN;
      for (let i = 0; i < 5; i++) await login(user.email, `wrong again ${i}`, ip);
      const until = JSON.parse((await lastEvent("auth.lockout"))!.details!).until;
      expect(Date.parse(until) - suite.now).toBe(30 * MIN); // 15 min doubled
      suite.now += 16 * MIN;
      expect((await login(user.email, TEST_PASSWORD, ip)).statusCode).toBe(429);
      suite.now += 15 * MIN;
      expect((await login(user.email, TEST_PASSWORD, ip)).statusCode).toBe(200);
    });

    it("counts wrong TOTP codes towards the lockout even though the password was right each time", async () => {
      const { user, secret } = await enrolledLawyer();
      const ip = suite.newAddress();
      for (let i = 0; i < 5; i++) {
        const pending = sessionCookie(await login(user.email, TEST_PASSWORD, ip))!;
        expect((await post("/auth/totp", pending, { code: wrongCode(secret) }, SAME_ORIGIN, ip)).statusCode).toBe(401);
      }
      expect(await lastEvent("auth.lockout")).toMatchObject({ target_id: user.actor.userId, reason: "account_locked" });
      expect((await login(user.email, TEST_PASSWORD, ip)).statusCode).toBe(429);
    });

    it("locks an address after 20 failures across accounts, unknown ones included", async () => {
      const { user } = await signedIn("paralegal");
      const ip = suite.newAddress();
      for (let i = 0; i < 20; i++) expect((await login(`ghost-${i}@firm.test`, "whatever it is here", ip)).statusCode).toBe(401);
      expect(await lastEvent("auth.lockout")).toMatchObject({ reason: "ip_locked", target_id: null });
      const fromThere = await login(user.email, TEST_PASSWORD, ip);
      expect([fromThere.statusCode, fromThere.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect((await login(user.email, TEST_PASSWORD, suite.newAddress())).statusCode).toBe(200);
    });

    it("ends a session after 30 minutes idle; use keeps it alive", async () => {
      const { cookie } = await signedIn("paralegal");
      suite.now += 29 * MIN;
      expect((await get("/auth/me", cookie)).statusCode).toBe(200);
      suite.now += 29 * MIN;
      expect((await get("/auth/me", cookie)).statusCode).toBe(200);
      suite.now += 31 * MIN;
      const expired = await get("/auth/me", cookie);
      expect([expired.statusCode, expired.json().error.code]).toEqual([401, "authentication_required"]);
      expect(await lastEvent("auth.session")).toMatchObject({ outcome: "failure", reason: "session_expired" });
    });

    it("ends a session 12 hours after sign-in however active it is", async () => {
      const { cookie } = await signedIn("paralegal");
      const started = suite.now;
      while (suite.now - started < 12 * 60 * MIN - 20 * MIN) {
        suite.now += 20 * MIN;
        expect((await get("/auth/me", cookie)).statusCode).toBe(200);
      }
      suite.now = started + 12 * 60 * MIN + 1;
      expect((await get("/auth/me", cookie)).statusCode).toBe(401);
      expect(await lastEvent("auth.session")).toMatchObject({ reason: "session_expired" });
    });

    it("refuses cookie-authenticated writes without same-origin evidence (CSRF), audited; tokens are exempt", async () => {
      const { user, cookie } = await signedIn("paralegal");
      const count = async () =>
        Number(
          (
            await suite.services.engine.db
              .selectFrom("clients")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      const bare = await post("/clients", cookie, clientInput(), {});
      expect([bare.statusCode, bare.json().error.code]).toEqual([403, "csrf_rejected"]);
      expect(await lastEvent("auth.csrf")).toMatchObject({ actor_id: user.actor.userId, outcome: "denied", reason: "csrf_rejected" });
      expect((await post("/clients", cookie, clientInput(), { origin: "https://evil.example" })).json().error.code).toBe("csrf_rejected");
      expect((await post("/clients", cookie, clientInput(), { "sec-fetch-site": "cross-site" })).json().error.code).toBe("csrf_rejected");
      expect((await post("/clients", cookie, clientInput(), { "sec-fetch-site": "same-site" })).json().error.code).toBe("csrf_rejected");
      expect((await post("/auth/logout-all", cookie, undefined, {})).statusCode).toBe(403);
      expect(await count()).toBe(before);

      expect((await post("/clients", cookie, clientInput(), SAME_ORIGIN)).statusCode).toBe(201);
      expect((await post("/clients", cookie, clientInput(), { origin: "http://localhost:80", host: "localhost:80" })).statusCode).toBe(201);
      expect((await post("/clients", cookie, clientInput(), { origin: "http://localhost:8080", host: "localhost:8081" })).json().error.code).toBe(
        "csrf_rejected",
      );
      const viaToken = await suite.app.inject({ method: "POST", url: "/api/v1/clients", headers: auth(user.token), payload: clientInput() });
      expect(viaToken.statusCode).toBe(201);
      expect(await count()).toBe(before + 3);
    });

    it("signs out one session, and everywhere", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const [a, b, c] = await Promise.all([1, 2, 3].map(async () => sessionCookie(await login(user.email, TEST_PASSWORD, suite.newAddress()))!));
      expect((await get("/auth/sessions", a!)).json().items).toHaveLength(3);
      expect((await post("/auth/logout", c!)).statusCode).toBe(204);
      expect((await get("/auth/me", c!)).statusCode).toBe(401);
      expect(await lastEvent("auth.session.revoke")).toMatchObject({ actor_id: user.actor.userId, reason: "sign_out" });

      const all = await post("/auth/logout-all", a!);
      expect(all.json()).toEqual({ sessionsRevoked: 2 });
      for (const cookie of [a!, b!]) expect((await get("/auth/me", cookie)).statusCode).toBe(401);
      expect(await lastEvent("auth.session")).toMatchObject({ reason: "session_revoked" });
      expect(await lastEvent("auth.logout_all")).toMatchObject({ actor_id: user.actor.userId, outcome: "success" });
      // API tokens are separate credentials; disabling the user revokes them.
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: auth(user.token) })).statusCode).toBe(200);
    });

    it("cuts off a disabled user's token and session at once", async () => {
      const { user, cookie } = await signedIn("paralegal");
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: auth(user.token) })).statusCode).toBe(200);
      expect((await get("/auth/me", cookie)).statusCode).toBe(200);
      const result = await disableUser(suite.services, CONSOLE_OPERATOR, { email: user.email }, "test-disable");
      expect(result).toMatchObject({ sessionsRevoked: 1, tokensRevoked: 1 });
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: auth(user.token) })).statusCode).toBe(401);
      expect((await get("/auth/me", cookie)).statusCode).toBe(401);
      const again = await login(user.email, TEST_PASSWORD, suite.newAddress());
      expect([again.statusCode, again.json().error.code]).toEqual([401, "invalid_credentials"]);
      expect(await lastEvent("user.disable")).toMatchObject({ target_id: user.actor.userId, outcome: "success" });
      const tokens = await suite.services.engine.db.selectFrom("api_tokens").select("revoked_at").where("user_id", "=", user.actor.userId).execute();
      expect(tokens.every((t) => t.revoked_at)).toBe(true);
    });

    it("applies a role change on the next request", async () => {
      const { user, cookie } = await signedIn("paralegal");
      const audit = () => suite.app.inject({ method: "GET", url: "/api/v1/audit", headers: auth(user.token) });
      expect((await audit()).statusCode).toBe(403);
      await setUserRole(suite.services, CONSOLE_OPERATOR, { email: user.email, role: "auditor" }, "test-role");
      expect((await audit()).statusCode).toBe(200);
      expect((await get("/auth/me", cookie)).json()).toMatchObject({ role: "auditor", clearance: 1 });
      expect(await lastEvent("user.set_role")).toMatchObject({ target_id: user.actor.userId });
      expect(JSON.parse((await lastEvent("user.set_role"))!.details!)).toEqual({ from: "paralegal", to: "auditor" });
      await expect(setUserRole(suite.services, CONSOLE_OPERATOR, { email: user.email, role: "overlord" }, "t")).rejects.toMatchObject({
        code: "validation_error",
      });
    });

    it("documents the sign-in routes and the cookie scheme in OpenAPI", async () => {
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const path of ["login", "totp", "totp/enrol", "totp/confirm", "recovery-codes", "sessions", "logout", "logout-all", "me"])
        expect(doc.paths).toHaveProperty([`/api/v1/auth/${path}`]);
      expect(doc.components.securitySchemes.session).toEqual({ type: "apiKey", in: "cookie", name: "custodia_session" });
    });

    it("keeps passwords, codes and secrets out of the audit log, and the chain intact", async () => {
      const rows = await suite.services.engine.db.selectFrom("audit_events").selectAll().execute();
      const text = JSON.stringify(rows);
      expect(secretsSeen.length).toBeGreaterThan(20);
      for (const secret of [TEST_PASSWORD, ...secretsSeen]) expect(text).not.toContain(secret);
      expect(text).not.toContain("wrong password number");
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
