import { describe, expect, it } from "vitest";
import { runUnitOfWork } from "../src/platform/audit/audited.js";
import { InvalidCredentialsError } from "../src/platform/errors.js";
import type { Services } from "../src/platform/services.js";
import { accountKey, ipKey } from "../src/identity/auth/lockout.js";
import { passwordSignIn } from "../src/identity/auth/password-sign-in.js";
import { createSignInServices } from "../src/identity/auth/sign-in-services.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser, TEST_PASSWORD } from "./support/factories.js";
import { clockedSignInSuite } from "./support/http.js";

/**
 * The one unit of work (runUnitOfWork): a use case's writes and its audit events commit together
 * or not at all, and the sign-in flows go through it like every other command.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: one unit of work for sign-in and its audit events`, () => {
    const suite = clockedSignInSuite(dialect);
    const db = () => suite.services.engine.db;
    const login = (email: string, password: string, ip: string) =>
      suite.app.inject({ method: "POST", url: "/api/v1/auth/login", payload: { email, password }, remoteAddress: ip });
    const eventsOf = (requestId: string) => db().selectFrom("audit_events").selectAll().where("request_id", "=", requestId).orderBy("seq", "asc").execute();
    const eventsNamed = (action: string) => db().selectFrom("audit_events").selectAll().where("action", "=", action).execute();
    const throttle = (key: string) => db().selectFrom("sign_in_throttles").selectAll().where("key", "=", key).executeTakeFirst();
    const lastSeq = async () => Number((await db().selectFrom("audit_events").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst())?.seq ?? 0);

    it("commits a failed sign-in's counters and its audit event together, under one request id", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const ip = suite.newAddress();
      const res = await login(user.email, "not the right password at all", ip);
      expect([res.statusCode, res.json().error.code]).toEqual([401, "invalid_credentials"]);
      const requestId = res.json().requestId as string;

      const events = await eventsOf(requestId);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: "auth.login",
        outcome: "failure",
        reason: "wrong_password",
        actor_id: user.actor.userId,
        actor_role: "paralegal",
        target_type: "user",
        target_id: user.actor.userId,
        purpose: null,
      });
      expect(await throttle(accountKey(suite.services.vault, user.email))).toMatchObject({ failures: 1, locked_until: null });
      expect(await throttle(ipKey(suite.services.vault, ip))).toMatchObject({ failures: 1, locked_until: null });
    });

    it("records the lockout a failure triggers right after that failure, in the same unit of work", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const ip = suite.newAddress();
      let last = await login(user.email, "wrong password number 0", ip);
      for (let i = 1; i < 5; i++) last = await login(user.email, `wrong password number ${i}`, ip);
      expect([last.statusCode, last.json().error.code]).toEqual([401, "invalid_credentials"]);
      const events = await eventsOf(last.json().requestId);
      expect(events.map((e) => [e.action, e.outcome, e.reason])).toEqual([
        ["auth.login", "failure", "wrong_password"],
        ["auth.lockout", "denied", "account_locked"],
      ]);
      expect(events[1]).toMatchObject({ actor_id: user.actor.userId, actor_role: "paralegal", target_id: user.actor.userId });
      const row = await throttle(accountKey(suite.services.vault, user.email));
      expect(row).toMatchObject({ failures: 0, lockouts: 1 });
      expect(JSON.parse(events[1]!.details!).until).toBe(row!.locked_until);

      const locked = await login(user.email, TEST_PASSWORD, ip);
      expect([locked.statusCode, locked.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect(await eventsOf(locked.json().requestId)).toMatchObject([{ action: "auth.login", outcome: "denied", reason: "account_locked" }]);
    });

    it("leaves no counter behind when the failure's audit event cannot be written", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const broken: Services = {
        ...suite.services,
        auditLog: {
          ...suite.services.auditLog,
          append: async () => {
            throw new Error("audit store unavailable");
          },
        },
      };
      const kit = createSignInServices(broken, { now: () => suite.now });
      const before = await lastSeq();
      await expect(
        passwordSignIn(
          kit,
          { email: user.email, password: "not the right password at all" },
          { requestId: "req-broken-audit", ip: "10.66.0.1", userAgent: null },
        ),
      ).rejects.toThrow("audit store unavailable");
      expect(await throttle(accountKey(suite.services.vault, user.email))).toBeUndefined();
      expect(await throttle(ipKey(suite.services.vault, "10.66.0.1"))).toBeUndefined();
      expect(await lastSeq()).toBe(before);
    });

    it("rolls back both the write and the event when the work throws", async () => {
      const before = await lastSeq();
      await expect(
        runUnitOfWork(suite.services, { actor: { kind: "system" }, requestId: "req-throws", purpose: null }, async (w) => {
          await w.tx
            .insertInto("sign_in_throttles")
            .values({ key: "test:throws", failures: 1, lockouts: 0, locked_until: null, updated_at: "2026-01-01T00:00:00.000Z" })
            .execute();
          w.record({ action: "test.unit_of_work", outcome: "success" });
          w.recordEvenIfRefused({ action: "test.unit_of_work.kept", outcome: "success" });
          throw new Error("broken invariant");
        }),
      ).rejects.toThrow("broken invariant");
      expect(await throttle("test:throws")).toBeUndefined();
      expect(await eventsOf("req-throws")).toEqual([]);
      expect(await lastSeq()).toBe(before);
    });

    it("commits a refusal's writes, its event and the events recorded even if refused, and drops the rest", async () => {
      const user = await buildUser(suite.services, "lawyer");
      const actor = { kind: "signing_in" as const, userId: user.actor.userId, role: "lawyer" };
      const refused = runUnitOfWork(suite.services, { actor, requestId: "req-refused", purpose: null }, async (w) => {
        await w.tx
          .insertInto("sign_in_throttles")
          .values({ key: "test:refused", failures: 1, lockouts: 0, locked_until: null, updated_at: "2026-01-01T00:00:00.000Z" })
          .execute();
        w.record({ action: "test.dropped", outcome: "success" });
        w.recordEvenIfRefused({ action: "test.kept", outcome: "denied", reason: "account_locked" });
        return w.refuse(InvalidCredentialsError(), { action: "test.refused", reason: "wrong_password" }, "failure");
      });
      await expect(refused).rejects.toMatchObject({ code: "invalid_credentials", status: 401 });
      expect(await throttle("test:refused")).toMatchObject({ failures: 1 });
      const events = await eventsOf("req-refused");
      expect(events.map((e) => [e.action, e.outcome, e.reason, e.actor_id, e.actor_role])).toEqual([
        ["test.refused", "failure", "wrong_password", user.actor.userId, "lawyer"],
        ["test.kept", "denied", "account_locked", user.actor.userId, "lawyer"],
      ]);
      expect(await eventsNamed("test.dropped")).toEqual([]);
    });

    it("audits a refused credential at the HTTP edge through the unit of work, naming nobody", async () => {
      const bogus = await suite.app.inject({ method: "GET", url: "/api/v1/auth/sessions", headers: { authorization: "Bearer cst_AAAAAAAAAAAA.not-a-token" } });
      expect([bogus.statusCode, bogus.json().error.code]).toEqual([401, "authentication_required"]);
      expect(await eventsOf(bogus.json().requestId)).toMatchObject([
        {
          action: "auth.token",
          outcome: "failure",
          reason: "invalid_token",
          actor_id: null,
          actor_role: null,
          purpose: null,
          details: JSON.stringify({ route: "/api/v1/auth/sessions" }),
        },
      ]);
      const cookie = await suite.app.inject({ method: "GET", url: "/api/v1/auth/sessions", headers: { cookie: "custodia_session=garbage" } });
      expect([cookie.statusCode, cookie.json().error.code]).toEqual([401, "authentication_required"]);
      expect(await eventsOf(cookie.json().requestId)).toMatchObject([
        { action: "auth.session", outcome: "failure", reason: "invalid_session", actor_id: null },
      ]);
    });
  });
}
