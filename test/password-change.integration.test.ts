import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, TEST_PASSWORD, type TestUser } from "./support/factories.js";
import { auth, clockedSignInSuite } from "./support/http.js";

const MIN = 60_000;
const SAME_ORIGIN = { "sec-fetch-site": "same-origin" };
const NEW_PASSWORD = "copper heron above 4 rivers";

for (const dialect of DIALECTS) {
  describe(`${dialect}: changing one's own password`, () => {
    const suite = clockedSignInSuite(dialect);
    const login = (email: string, password: string, ip = suite.newAddress()) =>
      suite.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password }, remoteAddress: ip });
    const cookieOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === "custodia_session")!.value;
    const withCookie = (cookie: string) => ({ cookie: `custodia_session=${cookie}`, ...SAME_ORIGIN });
    const change = (cookie: string, currentPassword: string, newPassword: string, ip = "10.9.9.9") =>
      suite.app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: withCookie(cookie),
        remoteAddress: ip,
        payload: { currentPassword, newPassword },
      });
    const me = (cookie: string) => suite.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: withCookie(cookie) });
    const events = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "asc").execute();

    async function signedInTwice(): Promise<{ user: TestUser; here: string; elsewhere: string }> {
      const user = await buildUser(suite.services, "paralegal");
      const here = cookieOf(await login(user.email, TEST_PASSWORD));
      const elsewhere = cookieOf(await login(user.email, TEST_PASSWORD));
      return { user, here, elsewhere };
    }

    it("changes the password: the other sessions end, this one stays, the old password stops working, audited", async () => {
      const { user, here, elsewhere } = await signedInTwice();
      const res = await change(here, TEST_PASSWORD, NEW_PASSWORD);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ sessionsRevoked: 1 });
      expect((await me(here)).statusCode).toBe(200);
      expect((await me(elsewhere)).statusCode).toBe(401);
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/auth/me", headers: auth(user.token) })).statusCode).toBe(200); // tokens are separate credentials
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(401);
      expect((await login(user.email, NEW_PASSWORD)).statusCode).toBe(200);
      const event = (await events("auth.password.change")).at(-1)!;
      expect(event).toMatchObject({ actor_id: user.actor.userId, target_id: user.actor.userId, outcome: "success" });
      expect(JSON.parse(event.details!)).toMatchObject({ sessionsRevoked: 1 });
      const stored = await suite.services.engine.db.selectFrom("users").select("password_hash").where("id", "=", user.actor.userId).executeTakeFirstOrThrow();
      expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    });

    it("checks the new password against the policy, per field, and refuses the same password", async () => {
      const { user, here, elsewhere } = await signedInTwice();
      const short = await change(here, TEST_PASSWORD, "short");
      expect([short.statusCode, short.json().error.code]).toEqual([400, "validation_error"]);
      expect(short.json().error.fields).toEqual([expect.objectContaining({ field: "newPassword", code: "too_short" })]);
      const common = await change(here, TEST_PASSWORD, "Password1234");
      expect(common.json().error.fields[0]).toMatchObject({ field: "newPassword", code: "common_password" });
      const email = await change(here, TEST_PASSWORD, `${user.email} and more`);
      expect(email.json().error.fields[0]).toMatchObject({ field: "newPassword", code: "contains_email" });
      const same = await change(here, TEST_PASSWORD, TEST_PASSWORD);
      expect(same.json().error.fields[0]).toMatchObject({ field: "newPassword", code: "password_unchanged" });
      expect((await events("auth.password.change")).at(-1)).toMatchObject({ actor_id: user.actor.userId, outcome: "failure", reason: "validation_error" });
      // Nothing changed: both sessions live on, the old password still works.
      expect((await me(elsewhere)).statusCode).toBe(200);
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200);
    });

    it("counts wrong current passwords like failed sign-ins and locks the account", async () => {
      const { user, here } = await signedInTwice();
      const ip = suite.newAddress();
      for (let i = 0; i < 4; i++) {
        const wrong = await change(here, `not my password ${i}`, NEW_PASSWORD, ip);
        expect([wrong.statusCode, wrong.json().error.fields[0].field, wrong.json().error.fields[0].code]).toEqual([400, "currentPassword", "wrong_password"]);
      }
      expect((await events("auth.password.change")).at(-1)).toMatchObject({ target_id: user.actor.userId, outcome: "failure", reason: "wrong_password" });
      await change(here, "not my password 4", NEW_PASSWORD, ip);
      expect((await events("auth.lockout")).at(-1)).toMatchObject({ target_id: user.actor.userId, reason: "account_locked" });

      // Locked: even the right current password is refused, and so is signing in.
      const locked = await change(here, TEST_PASSWORD, NEW_PASSWORD, suite.newAddress());
      expect([locked.statusCode, locked.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect((await events("auth.password.change")).at(-1)).toMatchObject({ outcome: "denied", reason: "account_locked" });
      expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(429);
      suite.now += 16 * MIN;
      const here2 = cookieOf(await login(user.email, TEST_PASSWORD));
      expect((await change(here2, TEST_PASSWORD, NEW_PASSWORD)).statusCode).toBe(200);
    });

    it("needs a signed-in caller and same-origin evidence; keeps passwords out of the audit log", async () => {
      expect(
        (await suite.app.inject({ method: "POST", url: "/api/v1/auth/password", payload: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD } }))
          .statusCode,
      ).toBe(401);
      const { here } = await signedInTwice();
      const csrf = await suite.app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        headers: { cookie: `custodia_session=${here}` },
        payload: { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD },
      });
      expect([csrf.statusCode, csrf.json().error.code]).toEqual([403, "csrf_rejected"]);
      const all = await suite.services.engine.db.selectFrom("audit_events").select("details").execute();
      const text = all.map((e) => e.details ?? "").join("\n");
      for (const secret of [TEST_PASSWORD, NEW_PASSWORD, "not my password"]) expect(text).not.toContain(secret);
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
