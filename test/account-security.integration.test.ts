/**
 * One's own second factor (issue #15): new recovery codes, a new authenticator, and TOTP as an
 * opt-in below L3 that may be turned off again, on both engines. Each change proves a factor again;
 * a wrong proof counts towards the sign-in lockout; codes and secrets never reach the audit log.
 */
import type { LightMyRequestResponse } from "fastify";
import { describe, expect, it } from "vitest";
import type { Role } from "../src/access/policy/roles.js";
import { timeStep, totpCode } from "../src/identity/auth/totp.js";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, TEST_PASSWORD } from "./support/factories.js";
import { clockedSignInSuite, sessionCookieOf } from "./support/http.js";

const STEP = 30_000;

for (const dialect of DIALECTS) {
  describe(`${dialect}: account security`, () => {
    const suite = clockedSignInSuite(dialect);
    const secretsSeen: string[] = [];
    const { call, login } = suite;
    const cookieOf = (res: LightMyRequestResponse) => sessionCookieOf(res)!;
    const code = (secret: string) => totpCode(secret, timeStep(suite.now));
    const lastEvent = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "desc").executeTakeFirst();

    /** A user of the role with an enrolled authenticator and a full session; the clock moves past the enrolment's step. */
    async function enrolled(role: Role) {
      const user = await buildUser(suite.services, role);
      const ip = suite.newAddress();
      const first = await login(user.email, ip);
      let cookie = cookieOf(first);
      const { secret } = (await call("POST", "/auth/totp/enrol", cookie, undefined, ip)).json();
      const confirmed = await call("POST", "/auth/totp/confirm", cookie, { code: code(secret) }, ip);
      expect(confirmed.statusCode).toBe(200);
      if (first.json().status === "enrolment_required") cookie = cookieOf(confirmed);
      secretsSeen.push(secret, ...confirmed.json().recoveryCodes);
      suite.now += STEP;
      return { user, ip, cookie, secret: secret as string, recoveryCodes: confirmed.json().recoveryCodes as string[] };
    }

    it("regenerates recovery codes only with the password or a fresh code; the old ones stop working", async () => {
      const { user, ip, cookie, secret, recoveryCodes } = await enrolled("lawyer");
      const bare = await call("POST", "/auth/recovery-codes", cookie, {}, ip);
      expect(bare.statusCode).toBe(400);

      const wrong = await call("POST", "/auth/recovery-codes", cookie, { password: "not my password at all" }, ip);
      expect([wrong.statusCode, wrong.json().error.fields[0]]).toMatchObject([400, { field: "password", code: "wrong_password" }]);
      expect(await lastEvent("auth.recovery_codes.issue")).toMatchObject({ outcome: "failure", reason: "wrong_password" });
      const throttle = await suite.services.engine.db.selectFrom("sign_in_throttles").select("failures").where("failures", ">", 0).execute();
      expect(throttle.length).toBeGreaterThan(0); // counted like a failed sign-in

      const byPassword = await call("POST", "/auth/recovery-codes", cookie, { password: TEST_PASSWORD }, ip);
      expect(byPassword.statusCode).toBe(200);
      const fresh: string[] = byPassword.json().recoveryCodes;
      expect(fresh).toHaveLength(10);
      const byCode = await call("POST", "/auth/recovery-codes", cookie, { code: code(secret) }, ip);
      expect(byCode.statusCode).toBe(200);
      const newest: string[] = byCode.json().recoveryCodes;
      secretsSeen.push(...fresh, ...newest);
      // The same code again: a replay is refused.
      const replay = await call("POST", "/auth/recovery-codes", cookie, { code: code(secret) }, ip);
      expect(replay.json().error.fields[0]).toMatchObject({ field: "code", code: "replayed_code" });
      expect(await lastEvent("auth.recovery_codes.issue")).toMatchObject({ outcome: "failure", reason: "replayed_code" });

      const pending = cookieOf(await login(user.email, ip));
      expect((await call("POST", "/auth/totp", pending, { recoveryCode: recoveryCodes[0] }, ip)).statusCode).toBe(401);
      expect((await call("POST", "/auth/totp", pending, { recoveryCode: fresh[0] }, ip)).statusCode).toBe(401);
      expect((await call("POST", "/auth/totp", pending, { recoveryCode: newest[0] }, ip)).statusCode).toBe(200);
      expect((await call("GET", "/auth/second-factor", cookie)).json()).toMatchObject({ totp: { enrolled: true, required: true }, recoveryCodesLeft: 9 });
    });

    it("replaces the authenticator: the old one works until the new one is confirmed, then never again", async () => {
      const { user, ip, cookie, secret: oldSecret } = await enrolled("lawyer");
      const unproven = await call("POST", "/auth/totp/replace", cookie, { code: "000000" === code(oldSecret) ? "111111" : "000000" }, ip);
      expect(unproven.json().error.fields[0]).toMatchObject({ field: "code", code: "invalid_code" });

      const started = await call("POST", "/auth/totp/replace", cookie, { code: code(oldSecret) }, ip);
      expect(started.statusCode).toBe(200);
      const { secret: newSecret, uri } = started.json();
      secretsSeen.push(newSecret);
      expect(uri).toContain(`secret=${newSecret}`);
      expect((await call("GET", "/auth/second-factor", cookie)).json().totp.replacementPending).toBe(true);

      // Not yet confirmed: the old authenticator still signs in.
      suite.now += STEP;
      const before = cookieOf(await login(user.email, ip));
      expect((await call("POST", "/auth/totp", before, { code: code(oldSecret) }, ip)).statusCode).toBe(200);

      suite.now += STEP;
      const wrongConfirm = await call("POST", "/auth/totp/replace/confirm", cookie, { code: code(oldSecret) }, ip);
      expect(wrongConfirm.json().error.fields[0]).toMatchObject({ field: "code", code: "invalid_code" });
      const confirmed = await call("POST", "/auth/totp/replace/confirm", cookie, { code: code(newSecret) }, ip);
      expect(confirmed.statusCode).toBe(200);
      expect(await lastEvent("auth.totp.replace_confirm")).toMatchObject({ outcome: "success", actor_id: user.actor.userId });

      suite.now += STEP;
      const after = cookieOf(await login(user.email, ip));
      expect((await call("POST", "/auth/totp", after, { code: code(oldSecret) }, ip)).statusCode).toBe(401);
      expect((await call("POST", "/auth/totp", after, { code: code(newSecret) }, ip)).statusCode).toBe(200);
    });

    it("lets a lost phone be replaced with a recovery code", async () => {
      const { ip, cookie, recoveryCodes } = await enrolled("partner");
      const started = await call("POST", "/auth/totp/replace", cookie, { recoveryCode: recoveryCodes[0] }, ip);
      expect(started.statusCode).toBe(200);
      secretsSeen.push(started.json().secret);
      expect(JSON.parse((await lastEvent("auth.totp.replace"))!.details!)).toEqual({ provedBy: "recovery_code" });
      expect((await call("GET", "/auth/second-factor", cookie)).json().recoveryCodesLeft).toBe(9);
    });

    it("gives a paralegal TOTP as an opt-in: sign-in then asks for it, and it may be turned off with password and code", async () => {
      const { user, ip, cookie, secret } = await enrolled("paralegal");
      expect((await call("GET", "/auth/second-factor", cookie)).json()).toMatchObject({ totp: { enrolled: true, required: false } });
      const signIn = await login(user.email, ip);
      expect(signIn.json().status).toBe("mfa_required");

      const noCode = await call("POST", "/auth/totp/remove", cookie, { password: TEST_PASSWORD }, ip);
      expect(noCode.statusCode).toBe(400);
      const wrongPassword = await call("POST", "/auth/totp/remove", cookie, { password: "definitely not it", code: code(secret) }, ip);
      expect(wrongPassword.json().error.fields[0]).toMatchObject({ field: "password", code: "wrong_password" });
      const removed = await call("POST", "/auth/totp/remove", cookie, { password: TEST_PASSWORD, code: code(secret) }, ip);
      expect(removed.statusCode).toBe(204);
      expect(await lastEvent("auth.totp.remove")).toMatchObject({ outcome: "success", actor_id: user.actor.userId });
      expect((await login(user.email, ip)).json().status).toBe("signed_in");
      const left = await suite.services.engine.db.selectFrom("recovery_codes").select("id").where("user_id", "=", user.actor.userId).execute();
      expect(left).toEqual([]);
    });

    it("refuses to turn the authenticator off for a role that requires it, spending nothing", async () => {
      const { ip, cookie, secret } = await enrolled("compliance");
      const refused = await call("POST", "/auth/totp/remove", cookie, { password: TEST_PASSWORD, code: code(secret) }, ip);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, "mfa_required_by_role"]);
      expect(await lastEvent("auth.totp.remove")).toMatchObject({ outcome: "denied", reason: "mfa_required_by_role" });
      // The code was not spent: it still proves the factor.
      expect((await call("POST", "/auth/recovery-codes", cookie, { code: code(secret) }, ip)).statusCode).toBe(200);
    });

    it("needs a browser session that finished sign-in; API tokens do not manage the second factor", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const byToken = await suite.app.inject({
        method: "POST",
        url: "/api/v1/auth/recovery-codes",
        headers: { authorization: `Bearer ${user.token}` },
        payload: { password: TEST_PASSWORD },
      });
      expect([401, 403]).toContain(byToken.statusCode);
      const { ip, user: lawyer } = await enrolled("lawyer");
      const pending = cookieOf(await login(lawyer.email, ip));
      expect((await call("POST", "/auth/totp/replace", pending, { code: "123456" }, ip)).statusCode).toBe(401);
    });

    it("documents the routes in OpenAPI and keeps codes and secrets out of the audit log", async () => {
      const doc = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      for (const path of ["second-factor", "recovery-codes", "totp/replace", "totp/replace/confirm", "totp/remove"])
        expect(doc.paths).toHaveProperty([`/api/v1/auth/${path}`]);
      const text = JSON.stringify(await suite.services.engine.db.selectFrom("audit_events").selectAll().execute());
      expect(secretsSeen.length).toBeGreaterThan(30);
      for (const secret of [TEST_PASSWORD, ...secretsSeen]) expect(text).not.toContain(secret);
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
