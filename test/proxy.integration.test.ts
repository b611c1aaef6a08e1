/**
 * Behind a TLS-terminating proxy every connection comes from the proxy. X-Forwarded-For then
 * names the client, but only when the connection is from a trusted proxy: so one attacker's
 * failed sign-ins lock out that attacker's address, not everyone behind the proxy, and a header
 * from anyone else changes nothing.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import { CONSOLE_OPERATOR, addUser } from "../src/identity/users/user-admin.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { TEST_PASSWORD } from "./support/factories.js";

const PROXY = "127.0.0.1";
const IP_FAILURE_LIMIT = 5;

for (const dialect of DIALECTS) {
  describe(`${dialect}: client addresses behind a TLS proxy`, () => {
    let db: TestDatabase;
    let services: Services;
    let app: FastifyInstance;
    let staffNo = 0;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      app = await buildServer(services, {
        logLevel: "silent",
        behindTlsProxy: true,
        trustedProxies: ["127.0.0.1/8", "::1"],
        // A low address limit keeps the test short; the account limit stays out of the way.
        signIn: { ipFailureLimit: IP_FAILURE_LIMIT, accountFailureLimit: 50 },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
      await services?.close();
      await db?.cleanup();
    });

    /** A paralegal: signs straight in with a password (no second factor required). */
    async function staffMember() {
      const email = `paralegal-${++staffNo}-${dialect}@firm.test`;
      const user = await addUser(services, CONSOLE_OPERATOR, { email, role: "paralegal", password: TEST_PASSWORD }, "test");
      return { id: user.id, email };
    }
    const login = (email: string, password: string, peer: string, forwardedFor?: string) =>
      app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email, password },
        remoteAddress: peer,
        headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
      });
    const events = (action: string) => services.engine.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("seq").execute();
    const sessionIp = async (userId: string) =>
      (await services.engine.db.selectFrom("sessions").select("ip").where("user_id", "=", userId).orderBy("created_at", "desc").executeTakeFirstOrThrow()).ip;

    it("locks out one attacker's address, not every staff member behind the same proxy", async () => {
      const colleague = await staffMember();
      const lockoutsBefore = (await events("auth.lockout")).length;
      // The attacker prepends an address of its own choosing each time; the proxy appends the real one.
      for (let i = 1; i <= IP_FAILURE_LIMIT; i++) {
        const res = await login(`guess-${i}-${dialect}@firm.test`, "wrong password, again and again", PROXY, `10.66.0.${i}, 203.0.113.7`);
        expect([res.statusCode, res.json().error.code]).toEqual([401, "invalid_credentials"]);
      }
      const lockouts = (await events("auth.lockout")).slice(lockoutsBefore);
      expect(lockouts).toMatchObject([{ outcome: "denied", reason: "ip_locked", target_id: null }]);
      expect(JSON.parse(lockouts[0]!.details!)).toMatchObject({ scope: "ip" });

      // The attacker stays locked out, whatever it puts in front…
      const attacker = await login(colleague.email, TEST_PASSWORD, PROXY, "198.51.100.99, 203.0.113.7");
      expect([attacker.statusCode, attacker.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect((await events("auth.login")).at(-1)).toMatchObject({ outcome: "denied", reason: "ip_locked", target_id: colleague.id });

      // …while a colleague at another address, through the same proxy, signs in.
      const signedIn = await login(colleague.email, TEST_PASSWORD, PROXY, "198.51.100.20");
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      expect(signedIn.json().status).toBe("signed_in");
      expect((await events("auth.login")).at(-1)).toMatchObject({ outcome: "success", reason: "signed_in", actor_id: colleague.id });
      expect(await sessionIp(colleague.id)).toBe("198.51.100.20");
    });

    it("ignores X-Forwarded-For from a peer that is not a trusted proxy", async () => {
      const colleague = await staffMember();
      const outsider = "192.0.2.50";
      const lockoutsBefore = (await events("auth.lockout")).length;
      // A new forged address each time: all of them count against the real peer.
      for (let i = 1; i <= IP_FAILURE_LIMIT; i++) {
        const res = await login(`probe-${i}-${dialect}@firm.test`, "wrong password, again and again", outsider, `198.51.100.${100 + i}`);
        expect([res.statusCode, res.json().error.code]).toEqual([401, "invalid_credentials"]);
      }
      expect((await events("auth.lockout")).slice(lockoutsBefore)).toMatchObject([{ outcome: "denied", reason: "ip_locked", target_id: null }]);
      const forged = await login(colleague.email, TEST_PASSWORD, outsider, "198.51.100.200");
      expect([forged.statusCode, forged.json().error.code]).toEqual([429, "sign_in_locked"]);
      expect((await events("auth.login")).at(-1)).toMatchObject({ outcome: "denied", reason: "ip_locked", target_id: colleague.id });

      // A session opened from an untrusted peer records the peer, not what it claimed.
      const elsewhere = await login(colleague.email, TEST_PASSWORD, "192.0.2.51", "198.51.100.201");
      expect(elsewhere.statusCode, elsewhere.body).toBe(200);
      expect(await sessionIp(colleague.id)).toBe("192.0.2.51");
    });

    it("counts the API rate limit per client behind the proxy", async () => {
      const limited = await buildServer(services, { logLevel: "silent", behindTlsProxy: true, trustedProxies: ["127.0.0.1/8"], rateLimitPerMinute: 3 });
      try {
        const health = (forwardedFor: string) =>
          limited.inject({ method: "GET", url: "/api/v1/healthz", remoteAddress: PROXY, headers: { "x-forwarded-for": forwardedFor } });
        for (let i = 0; i < 3; i++) expect((await health("203.0.113.8")).statusCode).toBe(200);
        const over = await health("203.0.113.8");
        expect([over.statusCode, over.json().error.code]).toEqual([429, "rate_limited"]);
        expect((await health("198.51.100.30")).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });
}
