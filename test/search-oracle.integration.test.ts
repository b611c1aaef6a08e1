/**
 * Search is no oracle (issue #10: IAM-1..5, CLS-1). A hit confirms the value searched for and a miss
 * rules it out, so searching by a field one sees masked recovers it by trial. Searching by a field
 * above the caller's clearance (or, from L3, without current access conditions) is refused before
 * any lookup; and a run of searches that find nothing is caught by the `search_enumeration` rule.
 */
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { updateRule } from "../src/response/detection/rule-commands.js";
import { DIALECTS } from "./support/dialects.js";
import { buildClient, buildMatter, buildUser, clientInput, contextFor, residentId, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

// Wednesday 2026-03-04 11:00 in Shanghai: inside the default working hours, so off_hours stays quiet.
const BASE = Date.parse("2026-03-04T03:00:00.000Z");
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

for (const dialect of DIALECTS) {
  describe(`${dialect}: search is not an oracle for masked fields`, () => {
    const suite = httpSuite(dialect);
    let partner: TestUser;
    let phone: string;
    let idNumber: string;
    let clientId: string;

    const search = (token: string, criteria: Record<string, string>, purpose = "case-handling") =>
      suite.app.inject({ method: "POST", url: "/api/v1/clients/search", headers: auth(token, purpose), payload: criteria });
    const eventsOf = (userId: string) =>
      suite.services.engine.db.selectFrom("audit_events").selectAll().where("actor_id", "=", userId).orderBy("seq").execute();
    const alertsOf = (rule: string, userId: string) =>
      suite.services.engine.db.selectFrom("alerts").selectAll().where("rule_code", "=", rule).where("user_id", "=", userId).execute();

    beforeAll(async () => {
      partner = await buildUser(suite.services, "partner");
      phone = `1390${String(Date.now()).slice(-7)}`;
      idNumber = residentId();
      clientId = (await buildClient(suite.services, partner.actor, { phone, idNumber })).id;
    });

    /** The refusal is the same whether the value exists or not, and nothing about any client is looked up or written. */
    async function expectRefusedBeforeLookup(user: TestUser, criteria: Record<string, string>, missing: Record<string, string>, code: string) {
      const before = (await eventsOf(user.actor.userId)).length;
      const hit = await search(user.token, criteria);
      const miss = await search(user.token, missing);
      for (const res of [hit, miss]) {
        expect([res.statusCode, res.json().error.code]).toEqual([403, code]);
        expect(res.body).not.toContain(clientId);
      }
      expect(hit.body.replace(/"requestId":"[^"]+"/, "")).toBe(miss.body.replace(/"requestId":"[^"]+"/, ""));
      const events = (await eventsOf(user.actor.userId)).slice(before);
      expect(events.map((e) => [e.action, e.outcome, e.reason, e.target_id, JSON.parse(e.details!)])).toEqual([
        ["client.search", "denied", code, null, { by: Object.keys(criteria) }],
        ["client.search", "denied", code, null, { by: Object.keys(missing) }],
      ]);
      // Ids and codes only: the value searched for is in no event.
      for (const value of Object.values(criteria)) expect(JSON.stringify(events)).not.toContain(value);
    }

    it("a records clerk (L1) searching by phone (L3) is refused 403 search_field_above_clearance, audited, before any lookup", async () => {
      const clerk = await buildUser(suite.services, "records-clerk");
      await expectRefusedBeforeLookup(clerk, { phone }, { phone: "13700000000" }, "search_field_above_clearance");
      // Whatever the purpose header says: the refusal comes before the purpose is even looked at.
      const noPurpose = await suite.app.inject({ method: "POST", url: "/api/v1/clients/search", headers: auth(clerk.token), payload: { phone } });
      expect([noPurpose.statusCode, noPurpose.json().error.code]).toEqual([403, "search_field_above_clearance"]);
      // The query-string route is the same search.
      const viaGet = await suite.app.inject({ method: "GET", url: `/api/v1/clients?phone=${phone}`, headers: auth(clerk.token, "case-handling") });
      expect([viaGet.statusCode, viaGet.json().error.code]).toEqual([403, "search_field_above_clearance"]);
    });

    it("an admin (L2) searching by resident ID (L4) is refused the same way; by name (L2) they still search", async () => {
      const admin = await buildUser(suite.services, "admin");
      await expectRefusedBeforeLookup(admin, { idNumber }, { idNumber: residentId("19700101") }, "search_field_above_clearance");
      // Mixing an allowed field with a refused one is refused as a whole.
      const mixed = await search(admin.token, { name: "王小明", idNumber });
      expect([mixed.statusCode, mixed.json().error.code]).toEqual([403, "search_field_above_clearance"]);
      const byName = await search(admin.token, { name: clientInput().name });
      expect(byName.statusCode, byName.body).toBe(200);
      expect(byName.json().items.map((c: { id: string }) => c.id)).toContain(clientId);
    });

    it("a read_sensitive grant opens one client to a lawyer, never a search by L4 fields across all of them", async () => {
      const lawyer = await buildUser(suite.services, "lawyer");
      const approver = await buildUser(suite.services, "compliance");
      await buildMatter(suite.services, partner.actor, clientId, [{ userId: lawyer.actor.userId, role: "member" }]);
      const post = (token: string, url: string, payload: object) => suite.app.inject({ method: "POST", url: `/api/v1${url}`, headers: auth(token), payload });
      const asked = await post(lawyer.token, "/approvals", {
        kind: "read_sensitive",
        clientId,
        purpose: "case-handling",
        justification: "client_instruction",
        durationMinutes: 60,
      });
      expect(asked.statusCode, asked.body).toBe(201);
      expect((await post(approver.token, `/approvals/${asked.json().id}/approve`, {})).statusCode).toBe(200);
      const read = await suite.app.inject({ method: "GET", url: `/api/v1/clients/${clientId}`, headers: auth(lawyer.token, "case-handling") });
      expect(read.json().idNumber).toBe(idNumber);
      await expectRefusedBeforeLookup(lawyer, { idNumber }, { idNumber: residentId("19700101") }, "search_field_above_clearance");
      // Phone is L3, within the lawyer's clearance: that search runs and finds the client.
      const byPhone = await search(lawyer.token, { phone });
      expect(byPhone.json().items.map((c: { id: string }) => c.id)).toEqual([clientId]);
    });

    it("without a current agreement and training, searching by an L3 field is refused 403 access_conditions_unmet", async () => {
      const untrained = await buildUser(suite.services, "compliance", { accessConditions: false });
      await expectRefusedBeforeLookup(untrained, { phone }, { phone: "13700000000" }, "access_conditions_unmet");
      const zh = await suite.app.inject({
        method: "POST",
        url: "/api/v1/clients/search",
        headers: { ...auth(untrained.token, "case-handling"), "accept-language": "zh-CN" },
        payload: { email: "wang.xiaoming@example.cn" },
      });
      expect([zh.statusCode, zh.json().error.code]).toEqual([403, "access_conditions_unmet"]);
      expect(zh.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      // The name (L2) needs no access conditions.
      expect((await search(untrained.token, { name: clientInput().name })).statusCode).toBe(200);
    });

    it("search_enumeration: 30 searches that find nothing in 10 minutes raise a high alert and revoke the searcher's sessions and tokens", async () => {
      const guesser = await buildUser(suite.services, "partner");
      const guess = (n: number) => `1361${String(n).padStart(7, "0")}`;
      // Hits do not count: a search that finds the client is no miss.
      for (let n = 0; n < 29; n++) {
        const res = await search(guesser.token, { phone: n % 10 === 0 ? phone : guess(n) });
        expect(res.statusCode, res.body).toBe(200);
      }
      const misses = (await eventsOf(guesser.actor.userId)).filter((e) => e.action === "client.search" && JSON.parse(e.details!).results === 0);
      expect(misses).toHaveLength(26);
      expect(await alertsOf("search_enumeration", guesser.actor.userId)).toHaveLength(0);
      for (let n = 100; n < 103; n++) expect((await search(guesser.token, { phone: guess(n) })).statusCode).toBe(200);
      expect(await alertsOf("search_enumeration", guesser.actor.userId)).toHaveLength(0); // 29 misses
      // The 30th miss: answered (it already ran), and the alert and containment commit with it.
      expect((await search(guesser.token, { phone: guess(103) })).statusCode).toBe(200);
      const [alert] = await alertsOf("search_enumeration", guesser.actor.userId);
      expect(alert).toMatchObject({ kind: "detection", severity: "high", status: "new", containment: "suspend_sessions_and_tokens" });
      expect(JSON.parse(alert!.facts!)).toEqual({ misses: 30, threshold: 30, windowMinutes: 10 });
      expect(JSON.parse(alert!.evidence!)).toHaveLength(30);
      // No personal data: not one of the numbers guessed, nor the client's.
      expect(JSON.stringify(alert)).not.toMatch(/136\d{8}|139\d{8}/);
      const contained = (await eventsOf("system:detection")).filter((e) => e.target_id === guesser.actor.userId);
      expect(contained.map((e) => [e.action, e.outcome, e.reason])).toEqual([["detection.containment", "success", "suspend_sessions_and_tokens"]]);
      expect(JSON.parse(contained[0]!.details!)).toMatchObject({ alertId: alert!.id, rule: "search_enumeration", tokensRevoked: 1 });
      // The token is revoked: the next guess is refused before it is searched.
      const after = await search(guesser.token, { phone: guess(104) });
      expect([after.statusCode, after.json().error.code]).toEqual([401, "authentication_required"]);
    });

    describe("the rule on the audit stream", () => {
      const append = (events: AuditEventInput[], when: string) =>
        suite.services.engine.db.transaction().execute((tx) => suite.services.auditLog.append(tx, events, when));
      const searched = (actorId: string, results: number, outcome: "success" | "denied" = "success"): AuditEventInput => ({
        action: "client.search",
        outcome,
        actorId,
        actorRole: "partner",
        targetType: "client",
        targetId: null,
        purpose: "case-handling",
        reason: outcome === "denied" ? "search_field_above_clearance" : null,
        details: outcome === "denied" ? { by: ["phone"] } : { by: ["phone"], results, excludedByPurpose: 0, excludedByNeedToKnow: 0 },
      });
      const conflictCheck = (actorId: string, hits: number): AuditEventInput => ({
        action: "conflict.check",
        outcome: "success",
        actorId,
        actorRole: "records-clerk",
        targetType: "client",
        targetId: null,
        purpose: "conflict-check",
        reason: null,
        details: { by: ["idNumber"], hits, walled: 0 },
      });
      const someone = () => `u-${randomUUID()}`;

      it("counts misses only (not hits or refusals), per user, within the window, once per window", async () => {
        const prober = someone();
        await append(
          [
            ...Array.from({ length: 29 }, () => searched(prober, 0)),
            ...Array.from({ length: 10 }, () => searched(prober, 1)),
            ...Array.from({ length: 10 }, () => searched(prober, 0, "denied")),
          ],
          at(0),
        );
        expect(await alertsOf("search_enumeration", prober)).toHaveLength(0);
        await append([searched(prober, 0)], at(9));
        const [alert] = await alertsOf("search_enumeration", prober);
        expect(alert).toMatchObject({ created_at: at(9), severity: "high" });
        expect(JSON.parse(alert!.facts!)).toEqual({ misses: 30, threshold: 30, windowMinutes: 10 });
        // A user who is not staff (a scripted stream) is alerted on, with no account to contain.
        expect(alert!.containment).toBeNull();
        await append([searched(prober, 0)], at(9.5));
        expect(await alertsOf("search_enumeration", prober)).toHaveLength(1);

        const patient = someone(); // one miss a minute: never 30 in 10 minutes
        for (let i = 0; i < 40; i++) await append([searched(patient, 0)], at(i));
        expect(await alertsOf("search_enumeration", patient)).toHaveLength(0);
      });

      it("conflict checks that find nothing count once compliance adds them to the rule's actions", async () => {
        const clerk = someone();
        await append(
          Array.from({ length: 30 }, () => conflictCheck(clerk, 0)),
          at(0),
        );
        expect(await alertsOf("search_enumeration", clerk)).toHaveLength(0);
        const compliance = await buildUser(suite.services, "compliance");
        await updateRule(suite.services, contextFor(compliance.actor, null), "search_enumeration", {
          params: { actions: ["client.search", "conflict.check"], maxMisses: 30, windowMinutes: 10 },
        });
        await append([conflictCheck(clerk, 2)], at(1));
        expect(await alertsOf("search_enumeration", clerk)).toHaveLength(0); // a hit triggers nothing
        await append([conflictCheck(clerk, 0)], at(2));
        const [alert] = await alertsOf("search_enumeration", clerk);
        expect(JSON.parse(alert!.facts!)).toEqual({ misses: 31, threshold: 30, windowMinutes: 10 });
      });
    });
  });
}
