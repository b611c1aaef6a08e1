import { describe, expect, it } from "vitest";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { timeStep, totpCode } from "../src/identity/auth/totp.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, setRoleDirectly, type TestUser } from "./support/factories.js";
import { auth, clockedSignInSuite, sessionCookieOf } from "./support/http.js";
import { SoftAuthenticator } from "./support/soft-authenticator.js";

// app.inject() sends "Host: localhost:80": the RP ID is "localhost", the origin "http://localhost".
const ORIGIN = "http://localhost";

for (const dialect of DIALECTS) {
  describe(`${dialect}: passkeys as a second factor`, () => {
    const suite = clockedSignInSuite(dialect);
    const { call, login } = suite;
    const events = (action: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq", "asc").execute();
    const lastEvent = async (action: string) => (await events(action)).at(-1);

    /** A lawyer (L3) with TOTP, signed in fully; the TOTP seed for later sign-ins. */
    async function signedInLawyer(ip = suite.newAddress()): Promise<{ user: TestUser; cookie: string; secret: string }> {
      const user = await buildUser(suite.services, "lawyer");
      const enrolOnly = sessionCookieOf(await login(user.email, ip))!;
      const { secret } = (await call("POST", "/auth/totp/enrol", enrolOnly)).json();
      const confirmed = await call("POST", "/auth/totp/confirm", enrolOnly, { code: totpCode(secret, timeStep(suite.now)) });
      expect(confirmed.statusCode).toBe(200);
      suite.now += 30_000; // the enrolment code's step is spent
      return { user, cookie: sessionCookieOf(confirmed)!, secret };
    }

    async function addPasskey(cookie: string, label = "Office laptop", authenticator = new SoftAuthenticator(ORIGIN)) {
      const options = (await call("POST", "/auth/passkeys/register/options", cookie)).json();
      const res = await call("POST", "/auth/passkeys/register/verify", cookie, { label, response: authenticator.register(options) });
      expect(res.statusCode).toBe(201);
      return { authenticator, passkey: res.json() as { id: string; label: string } };
    }

    /** Password step, then the passkey options: the pending cookie and what the browser gets. */
    async function pendingWithOptions(email: string, ip: string) {
      const first = await login(email, ip);
      expect(first.json().status).toBe("mfa_required");
      const pending = sessionCookieOf(first)!;
      const options = await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip);
      expect(options.statusCode).toBe(200);
      return { pending, options: options.json() as { challenge: string; rpId: string; allowCredentials: { id: string }[] } };
    }

    it("registers a passkey, lists it, and completes the next sign-in with it like a TOTP code", async () => {
      const { user, cookie } = await signedInLawyer();
      const options = (await call("POST", "/auth/passkeys/register/options", cookie)).json();
      expect(options).toMatchObject({ rp: { id: "localhost", name: "Custodia" }, attestation: "none", user: { name: user.email } });
      expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The user handle is the account id, not a name.
      expect(Buffer.from(options.user.id, "base64url").toString()).toBe(user.actor.userId);
      const stored = await suite.services.engine.db
        .selectFrom("webauthn_challenges")
        .selectAll()
        .where("challenge", "=", options.challenge)
        .executeTakeFirstOrThrow();
      expect(stored.ceremony).toBe("registration");
      expect(Date.parse(stored.expires_at) - suite.now).toBe(2 * 60_000);

      const authenticator = new SoftAuthenticator(ORIGIN);
      const registered = await call("POST", "/auth/passkeys/register/verify", cookie, { label: "  Office laptop ", response: authenticator.register(options) });
      expect(registered.statusCode).toBe(201);
      expect(registered.json()).toMatchObject({ label: "Office laptop", transports: ["internal"], lastUsedAt: null });
      const row = await suite.services.engine.db.selectFrom("passkeys").selectAll().where("user_id", "=", user.actor.userId).executeTakeFirstOrThrow();
      expect(row.credential_id).toBe(authenticator.id);
      expect(Number(row.counter)).toBe(0);
      expect(Object.keys(row).sort()).toEqual(["counter", "created_at", "credential_id", "id", "label", "last_used_at", "public_key", "transports", "user_id"]);
      expect(await lastEvent("auth.passkey.register")).toMatchObject({ actor_id: user.actor.userId, outcome: "success" });
      expect((await lastEvent("auth.passkey.register"))!.details).not.toContain("Office laptop");
      // The challenge was spent: the same response cannot register again.
      const again = await call("POST", "/auth/passkeys/register/verify", cookie, { label: "Again", response: authenticator.register(options) });
      expect([again.statusCode, again.json().error.code]).toEqual([400, "passkey_registration_failed"]);
      expect(await lastEvent("auth.passkey.register")).toMatchObject({ outcome: "failure", reason: "challenge_missing" });

      const list = await call("GET", "/auth/passkeys", cookie);
      expect(list.json().items).toEqual([expect.objectContaining({ id: registered.json().id, label: "Office laptop" })]);
      // The list answers a bearer token too; adding one needs a browser session.
      expect((await suite.app.inject({ method: "GET", url: "/api/v1/auth/passkeys", headers: auth(user.token) })).json().items).toHaveLength(1);
      const byToken = await suite.app.inject({ method: "POST", url: "/api/v1/auth/passkeys/register/options", headers: auth(user.token) });
      expect([byToken.statusCode, byToken.json().error.code]).toEqual([401, "session_required"]);

      const ip = suite.newAddress();
      const { pending, options: request } = await pendingWithOptions(user.email, ip);
      expect(request.rpId).toBe("localhost");
      expect(request.allowCredentials.map((c) => c.id)).toEqual([authenticator.id]);
      const early = await call("GET", "/auth/passkeys", pending);
      expect([early.statusCode, early.json().error.code]).toEqual([401, "mfa_required"]);
      suite.now += 1000;
      const signedIn = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: authenticator.assert(request) }, ip);
      expect(signedIn.statusCode).toBe(200);
      expect(signedIn.json().status).toBe("signed_in");
      const full = sessionCookieOf(signedIn)!;
      expect(full).not.toBe(pending);
      expect((await call("GET", "/auth/me", full)).json()).toMatchObject({ session: { kind: "full" } });
      expect((await call("GET", "/auth/me", pending)).statusCode).toBe(401); // replaced, not upgraded
      const success = await lastEvent("auth.passkey");
      expect(success).toMatchObject({ actor_id: user.actor.userId, outcome: "success", target_id: user.actor.userId });
      expect(JSON.parse(success!.details!)).toMatchObject({ passkeyId: registered.json().id, replacedSessionId: pending.split(".")[0] });
      const used = await suite.services.engine.db.selectFrom("passkeys").selectAll().where("id", "=", registered.json().id).executeTakeFirstOrThrow();
      expect(Number(used.counter)).toBe(1);
      expect(used.last_used_at).toBe(new Date(suite.now).toISOString());
      // Documented in the OpenAPI description under the sign-in tag.
      const paths = (await suite.app.inject({ method: "GET", url: "/api/openapi.json" })).json().paths;
      expect(
        Object.keys(paths)
          .filter((p: string) => p.startsWith("/api/v1/auth/passkeys"))
          .sort(),
      ).toEqual([
        "/api/v1/auth/passkeys",
        "/api/v1/auth/passkeys/authenticate/options",
        "/api/v1/auth/passkeys/authenticate/verify",
        "/api/v1/auth/passkeys/register/options",
        "/api/v1/auth/passkeys/register/verify",
        "/api/v1/auth/passkeys/{id}",
      ]);
    });

    it("lets a passkey satisfy the MFA requirement of an L3 role without TOTP", async () => {
      // A paralegal (L2) needs no second factor and adds a passkey; promoted to lawyer, the passkey suffices.
      const user = await buildUser(suite.services, "paralegal");
      const first = await login(user.email, suite.newAddress());
      expect(first.json().status).toBe("signed_in");
      const { authenticator } = await addPasskey(sessionCookieOf(first)!);
      // The promotion itself is not under test here (it needs a second approver: admin-roles tests).
      await setRoleDirectly(suite.services, user.actor.userId, "lawyer");
      const ip = suite.newAddress();
      const { pending, options } = await pendingWithOptions(user.email, ip); // mfa_required, not enrolment_required
      const done = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: authenticator.assert(options) }, ip);
      expect(done.statusCode).toBe(200);
      expect((await call("GET", "/auth/me", sessionCookieOf(done)!)).json()).toMatchObject({ role: "lawyer", session: { kind: "full" } });
    });

    it("refuses an assertion over another challenge, and the challenge is spent by the attempt", async () => {
      const { user, cookie } = await signedInLawyer();
      const { authenticator } = await addPasskey(cookie);
      const ip = suite.newAddress();
      const { pending, options } = await pendingWithOptions(user.email, ip);
      const foreign = authenticator.assert(options, { challenge: Buffer.alloc(32, 7).toString("base64url") });
      const refused = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: foreign }, ip);
      expect([refused.statusCode, refused.json().error.code]).toEqual([401, "passkey_rejected"]);
      expect(sessionCookieOf(refused)).toBeUndefined();
      expect(await lastEvent("auth.passkey")).toMatchObject({ actor_id: user.actor.userId, outcome: "failure", reason: "challenge_mismatch" });
      // The right assertion now finds no challenge: one try per challenge.
      const late = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: authenticator.assert(options) }, ip);
      expect(late.statusCode).toBe(401);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "challenge_missing" });
      // Another origin (a phishing page relaying the ceremony) is refused as well.
      const fresh = (await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip)).json();
      const phished = await call(
        "POST",
        "/auth/passkeys/authenticate/verify",
        pending,
        { response: authenticator.assert(fresh, { origin: "https://custodia-login.example" }) },
        ip,
      );
      expect(phished.statusCode).toBe(401);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "origin_mismatch" });
      // A challenge lives two minutes.
      const slow = (await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip)).json();
      suite.now += 2 * 60_000 + 1;
      expect((await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: authenticator.assert(slow) }, ip)).statusCode).toBe(401);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "challenge_expired" });
    });

    it("refuses a replayed assertion and a counter that does not move forward", async () => {
      const { user, cookie } = await signedInLawyer();
      const { authenticator, passkey } = await addPasskey(cookie);
      const ip = suite.newAddress();
      const first = await pendingWithOptions(user.email, ip);
      const assertion = authenticator.assert(first.options);
      expect((await call("POST", "/auth/passkeys/authenticate/verify", first.pending, { response: assertion }, ip)).statusCode).toBe(200);

      // The captured assertion, replayed into a new sign-in: its challenge is not this session's.
      const second = await pendingWithOptions(user.email, ip);
      const replay = await call("POST", "/auth/passkeys/authenticate/verify", second.pending, { response: assertion }, ip);
      expect([replay.statusCode, replay.json().error.code]).toEqual([401, "passkey_rejected"]);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "challenge_mismatch" });

      // A cloned authenticator signs the fresh challenge with a counter already seen.
      const third = (await call("POST", "/auth/passkeys/authenticate/options", second.pending, undefined, ip)).json();
      const cloned = await call("POST", "/auth/passkeys/authenticate/verify", second.pending, { response: authenticator.assert(third, { counter: 1 }) }, ip);
      expect(cloned.statusCode).toBe(401);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "counter_not_increasing" });
      const row = await suite.services.engine.db.selectFrom("passkeys").select("counter").where("id", "=", passkey.id).executeTakeFirstOrThrow();
      expect(Number(row.counter)).toBe(1);

      const fourth = (await call("POST", "/auth/passkeys/authenticate/options", second.pending, undefined, ip)).json();
      expect((await call("POST", "/auth/passkeys/authenticate/verify", second.pending, { response: authenticator.assert(fourth) }, ip)).statusCode).toBe(200);
    });

    it("removes a passkey with a full session only; a removed passkey no longer signs in", async () => {
      const { user, cookie, secret } = await signedInLawyer();
      const { authenticator: kept } = await addPasskey(cookie, "Phone");
      const { authenticator: lost, passkey } = await addPasskey(cookie, "Lost key");
      const other = await signedInLawyer();
      const notMine = await call("DELETE", `/auth/passkeys/${passkey.id}`, other.cookie);
      expect([notMine.statusCode, notMine.json().error.code]).toEqual([404, "not_found"]);
      expect(await lastEvent("auth.passkey.remove")).toMatchObject({
        actor_id: other.user.actor.userId,
        outcome: "failure",
        reason: "not_found",
        target_id: passkey.id,
      });

      const ip = suite.newAddress();
      const { pending, options } = await pendingWithOptions(user.email, ip);
      const half = await call("DELETE", `/auth/passkeys/${passkey.id}`, pending, undefined, ip);
      expect([half.statusCode, half.json().error.code]).toEqual([401, "mfa_required"]);
      const crossSite = await suite.app.inject({
        method: "DELETE",
        url: `/api/v1/auth/passkeys/${passkey.id}`,
        headers: { cookie: `custodia_session=${cookie}`, "sec-fetch-site": "cross-site" },
      });
      expect([crossSite.statusCode, crossSite.json().error.code]).toEqual([403, "csrf_rejected"]);
      const removed = await call("DELETE", `/auth/passkeys/${passkey.id}`, cookie);
      expect(removed.statusCode).toBe(204);
      expect(await lastEvent("auth.passkey.remove")).toMatchObject({
        actor_id: user.actor.userId,
        outcome: "success",
        target_type: "passkey",
        target_id: passkey.id,
      });
      expect((await call("GET", "/auth/passkeys", cookie)).json().items.map((p: { label: string }) => p.label)).toEqual(["Phone"]);

      // The options were issued while both existed; the removed one is refused all the same.
      const refused = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: lost.assert(options) }, ip);
      expect([refused.statusCode, refused.json().error.code]).toEqual([401, "passkey_rejected"]);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "failure", reason: "unknown_credential" });
      const fresh = (await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip)).json();
      expect(fresh.allowCredentials.map((c: { id: string }) => c.id)).toEqual([kept.id]);

      // With every passkey gone, TOTP still works and the passkey options say there is none.
      const keptId = (await call("GET", "/auth/passkeys", cookie)).json().items[0].id;
      expect((await call("DELETE", `/auth/passkeys/${keptId}`, cookie)).statusCode).toBe(204);
      const none = await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip);
      expect([none.statusCode, none.json().error.code]).toEqual([409, "passkey_none"]);
      expect(await lastEvent("auth.passkey.challenge")).toMatchObject({ outcome: "failure", reason: "passkey_none" });
      expect((await call("POST", "/auth/totp", pending, { code: totpCode(secret, timeStep(suite.now)) }, ip)).statusCode).toBe(200);
    });

    it("counts passkey failures towards the same lockout as TOTP codes", async () => {
      const { user, cookie } = await signedInLawyer();
      const { authenticator } = await addPasskey(cookie);
      const ip = suite.newAddress();
      const { pending, options } = await pendingWithOptions(user.email, ip);
      const assertion = authenticator.assert(options, { challenge: Buffer.alloc(32, 1).toString("base64url") });
      for (let i = 0; i < 5; i++) {
        const res = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: assertion }, ip);
        expect(res.json().error.code).toBe("passkey_rejected");
      }
      expect(await lastEvent("auth.lockout")).toMatchObject({ actor_id: user.actor.userId, reason: "account_locked" });
      const fresh = (await call("POST", "/auth/passkeys/authenticate/options", pending, undefined, ip)).json();
      const locked = await call("POST", "/auth/passkeys/authenticate/verify", pending, { response: authenticator.assert(fresh) }, ip);
      expect([locked.statusCode, locked.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect(await lastEvent("auth.passkey")).toMatchObject({ outcome: "denied", reason: "account_locked" });
      suite.now += 16 * 60_000; // the first lock lasts 15 minutes
    });

    it("refuses a registration for another origin or RP ID, and malformed responses with field errors", async () => {
      const { cookie } = await signedInLawyer();
      const authenticator = new SoftAuthenticator(ORIGIN);
      let options = (await call("POST", "/auth/passkeys/register/options", cookie)).json();
      const elsewhere = await call("POST", "/auth/passkeys/register/verify", cookie, {
        label: "x",
        response: authenticator.register(options, { origin: "https://evil.example" }),
      });
      expect(elsewhere.json().error.code).toBe("passkey_registration_failed");
      expect(await lastEvent("auth.passkey.register")).toMatchObject({ outcome: "failure", reason: "origin_mismatch" });
      options = (await call("POST", "/auth/passkeys/register/options", cookie)).json();
      const otherRp = await call("POST", "/auth/passkeys/register/verify", cookie, {
        label: "x",
        response: authenticator.register(options, { rpId: "evil.example" }),
      });
      expect(otherRp.statusCode).toBe(400);
      expect(await lastEvent("auth.passkey.register")).toMatchObject({ outcome: "failure", reason: "rp_id_mismatch" });

      const bad = await call("POST", "/auth/passkeys/register/verify", cookie, {
        label: "",
        response: { ...authenticator.register(options), type: "password" },
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.fields.map((f: { field: string }) => f.field)
          .sort(),
      ).toEqual(["label", "response.type"]);
      expect(await suite.services.engine.db.selectFrom("passkeys").select("id").where("credential_id", "=", authenticator.id).execute()).toEqual([]);
      expect(await verifyAuditChain(suite.services.engine.db, suite.services.vault.checkpointPublicKey)).toMatchObject({ ok: true });
    });
  });
}
