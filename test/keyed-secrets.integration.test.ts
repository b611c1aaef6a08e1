import { createHash } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import type { CodeMessage } from "../src/rights/requests/code-sender.js";
import { solveChallenge } from "../src/rights/requests/portal-intake.js";
import { DIALECTS } from "./support/dialects.js";
import { buildUser } from "./support/factories.js";
import { httpSuite } from "./support/http.js";

/**
 * Throttle keys, one-time code hashes and stateless challenges are MACs under vault-derived keys
 * (`vault.mac(purpose, …)`): a copy of the database alone neither holds an address or an email
 * hash in clear nor lets anyone test guesses against them.
 */
for (const dialect of DIALECTS) {
  describe(`${dialect}: keyed throttles, codes and challenges`, () => {
    const suite = httpSuite(dialect);
    let app: FastifyInstance;
    const sent: CodeMessage[] = [];
    beforeAll(async () => {
      app = await buildServer(suite.services, {
        logLevel: "silent",
        clientRequests: { sender: { send: async (m) => void sent.push(m) }, proofBits: 4, intakeFloorMs: 0, perAddressPerHour: 100 },
      });
      await app.ready();
    });
    afterAll(async () => {
      await app?.close();
    });
    const db = () => suite.services.engine.db;
    const vault = () => suite.services.vault;
    const throttleKeys = async (table: "sign_in_throttles" | "portal_throttles") => (await db().selectFrom(table).select("key").execute()).map((r) => r.key);
    const challenge = async () => (await app.inject({ method: "GET", url: "/api/v1/portal/challenge" })).json() as { challenge: string; bits: number };
    const proof = async () => {
      const c = await challenge();
      return { challenge: c.challenge, nonce: solveChallenge(c.challenge, c.bits) };
    };

    it("keys sign-in throttles by vault MACs: no email hash and no address in clear", async () => {
      const user = await buildUser(suite.services, "paralegal");
      const ip = "10.77.1.2";
      const res = await app.inject({
        method: "POST",
        url: "/api/v1/auth/login",
        payload: { email: user.email, password: "not the right password" },
        remoteAddress: ip,
      });
      expect([res.statusCode, res.json().error.code]).toEqual([401, "invalid_credentials"]);
      expect(await db().selectFrom("audit_events").selectAll().where("request_id", "=", res.json().requestId).execute()).toMatchObject([
        { action: "auth.login", outcome: "failure", reason: "wrong_password", actor_id: user.actor.userId },
      ]);
      const keys = await throttleKeys("sign_in_throttles");
      expect(keys).toContain(`account:${vault().mac("lockout.account", user.email)}`);
      expect(keys).toContain(`ip:${vault().mac("lockout.ip", ip)}`);
      expect(keys).not.toContain(`account:${createHash("sha256").update(user.email).digest("hex")}`);
      expect(keys.some((k) => k.includes(ip))).toBe(false);
    });

    it("MACs the portal's challenge, one-time code and address counter at full length", async () => {
      const c = await challenge();
      const body = c.challenge.split(".").slice(0, 3).join(".");
      expect(c.challenge).toBe(`${body}.${vault().mac("portal.challenge", body)}`);

      const ip = "10.77.2.3";
      const submitted = await app.inject({
        method: "POST",
        url: "/api/v1/portal/requests",
        payload: { type: "access", phone: "13900001111", language: "en", proof: await proof() },
        remoteAddress: ip,
      });
      expect(submitted.statusCode).toBe(202);
      const requestId = submitted.json().requestId as string;
      const row = await db().selectFrom("client_requests").select("code_hash").where("id", "=", requestId).executeTakeFirstOrThrow();
      expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await throttleKeys("portal_throttles")).toContain(`ip:${vault().mac("portal.address", ip)}`);
      expect(await throttleKeys("portal_throttles")).not.toContain(`ip:${vault().blindIndex("portal.address", ip)}`);

      // Nobody matched, so no code went out; a guess is refused and audited.
      expect(sent).toEqual([]);
      const guess = await app.inject({ method: "POST", url: `/api/v1/portal/requests/${requestId}/verify`, payload: { code: "123456" } });
      expect([guess.statusCode, guess.json().error.code]).toEqual([400, "code_invalid"]);
      const verify = await db().selectFrom("audit_events").selectAll().where("request_id", "=", guess.json().requestId).execute();
      expect(verify).toMatchObject([{ action: "request.verify", outcome: "failure", reason: "code_wrong", actor_role: "portal", target_id: requestId }]);
    });

    it("refuses a malformed portal token like a wrong one, audited", async () => {
      const res = await app.inject({
        method: "GET",
        url: "/api/v1/portal/requests/00000000-0000-7000-8000-000000000000",
        headers: { authorization: "Bearer crt_short" },
      });
      expect([res.statusCode, res.json().error.code]).toEqual([401, "portal_token_invalid"]);
      expect(await db().selectFrom("audit_events").selectAll().where("request_id", "=", res.json().requestId).execute()).toMatchObject([
        { action: "request.status", outcome: "denied", reason: "portal_token_invalid", target_id: null },
      ]);
    });

    it("keys the complaint counter by the same vault MAC of the address", async () => {
      const ip = "10.77.3.4";
      const filed = await app.inject({
        method: "POST",
        url: "/api/v1/portal/complaints",
        payload: { category: "other", description: "x", language: "en", proof: await proof() },
        remoteAddress: ip,
      });
      expect(filed.statusCode).toBe(202);
      expect(await throttleKeys("portal_throttles")).toContain(`cmp-ip:${vault().mac("portal.address", ip)}`);
    });
  });
}
