/**
 * GET /audit/verify walks the chain on a worker thread with its own read-only connection, one
 * walk at a time (parallel calls share it), and keeps the last result with its time. The server
 * keeps answering meanwhile. Each call is audited, a failed walk too.
 */
import type { FastifyInstance } from "fastify";
import { beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/http/server.js";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { createAuditLog } from "../src/platform/audit/audit-log.js";
import type { Services } from "../src/platform/services.js";
import { DIALECTS, POSTGRES_URL } from "./support/dialects.js";
import { buildUser, type TestUser } from "./support/factories.js";
import { auth, httpSuite } from "./support/http.js";

/** Long enough that one walk takes a good part of a second on the test machine. */
const FILLER_EVENTS = 120_000;
const BATCH = 10_000;

for (const dialect of DIALECTS) {
  describe(`${dialect}: audit verification off the event loop`, () => {
    const suite = httpSuite(dialect);
    let auditor: TestUser;
    const verify = (query = "") => suite.app.inject({ method: "GET", url: `/api/v1/audit/verify${query}`, headers: auth(auditor.token) });
    const eventsOf = (requestIds: string[]) =>
      suite.services.engine.db
        .selectFrom("audit_events")
        .selectAll()
        .where("action", "=", "audit.verify")
        .where("request_id", "in", requestIds)
        .orderBy("seq")
        .execute();

    beforeAll(async () => {
      auditor = await buildUser(suite.services, "auditor");
      // Filler straight into the chain (no detector): a long log without a long setup.
      const log = createAuditLog(suite.services.engine, suite.services.vault);
      const filler: AuditEventInput = { action: "test.filler", outcome: "success", actorRole: "system" };
      for (let done = 0; done < FILLER_EVENTS; done += BATCH) {
        await suite.services.engine.db.transaction().execute((tx) =>
          log.append(
            tx,
            Array.from({ length: BATCH }, () => filler),
          ),
        );
      }
      // Placed by the sequencer before the walks: pending events are counted, not checked.
      await suite.services.auditSequencer.flush();
    });

    it("keeps /healthz answering while six parallel calls share one walk (never blocked for the walk)", async () => {
      const walkStarted = performance.now();
      const calls = Array.from({ length: 6 }, () => verify());
      let settled = false;
      const all = Promise.all(calls).finally(() => (settled = true));
      const latencies: number[] = [];
      while (!settled) {
        const started = performance.now();
        const health = await suite.app.inject({ method: "GET", url: "/api/v1/healthz" });
        latencies.push(performance.now() - started);
        expect(health.statusCode).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
      }
      const answers = await all;
      const walkMs = performance.now() - walkStarted;
      // The walk lasted long enough to matter, and the server kept answering throughout: a walk on
      // the event loop would hold one health check for about the whole walk. The bound grows with a
      // loaded machine's slower walk (shared CI cores stretch both), never to the walk's length.
      expect(latencies.length).toBeGreaterThanOrEqual(5);
      expect(Math.max(...latencies)).toBeLessThan(Math.max(200, walkMs / 3));

      for (const a of answers) expect(a.statusCode, a.body).toBe(200);
      const bodies = answers.map((a) => a.json());
      expect(bodies[0]).toMatchObject({ ok: true, firstBad: null });
      expect(bodies[0].eventsChecked).toBeGreaterThanOrEqual(FILLER_EVENTS);
      // One walk: every caller got the same result, started at the same moment.
      expect(new Set(bodies.map((b) => `${b.verifiedAt}/${b.eventsChecked}`)).size).toBe(1);
      // Still audited once per call, each naming the walk it was answered from.
      const events = await eventsOf(answers.map((a) => String(a.headers["x-request-id"])));
      expect(events).toHaveLength(6);
      for (const e of events) {
        expect(e).toMatchObject({ actor_id: auditor.actor.userId, outcome: "success", reason: null });
        expect(JSON.parse(e.details!)).toEqual({
          ok: true,
          eventsChecked: bodies[0].eventsChecked,
          checkpointsChecked: bodies[0].checkpointsChecked,
          firstBadSeq: null,
          problem: null,
          verifiedAt: bodies[0].verifiedAt,
        });
      }
    });

    it("answers from the last walk when maxAgeSeconds allows it, and walks again when it does not", async () => {
      // Earlier calls' events placed first, or the sequencer's next run could place them between
      // the two walks below and the count would not be the two calls' alone.
      await suite.services.auditSequencer.flush();
      const fresh = await verify("?maxAgeSeconds=0");
      const cached = await verify("?maxAgeSeconds=600");
      expect([fresh.statusCode, cached.statusCode]).toEqual([200, 200]);
      expect(cached.json()).toEqual(fresh.json()); // same walk, same time, though the log grew
      await suite.services.auditSequencer.flush(); // the two calls' own events, placed
      const again = await verify();
      expect(Date.parse(again.json().verifiedAt)).toBeGreaterThan(Date.parse(fresh.json().verifiedAt));
      expect(again.json().eventsChecked).toBe(fresh.json().eventsChecked + 2); // the two calls' own events
      const [cachedEvent] = await eventsOf([String(cached.headers["x-request-id"])]);
      expect(cachedEvent).toMatchObject({ outcome: "success" });
      expect(JSON.parse(cachedEvent!.details!).verifiedAt).toBe(fresh.json().verifiedAt);

      const bad = await verify("?maxAgeSeconds=-1");
      expect([bad.statusCode, bad.json().error.code]).toEqual([400, "validation_error"]);
    });

    it("answers 503 and audits the failure when the walk cannot run", async () => {
      // The same services, but the worker is pointed at a database it cannot open.
      const target =
        dialect === "sqlite"
          ? ({ kind: "sqlite", file: `${suite.db.config.dataDir}/missing.db` } as const)
          : ({ kind: "postgres", url: POSTGRES_URL.replace(/:\d+\//, ":1/"), schema: null } as const);
      const broken: Services = { ...suite.services, engine: { ...suite.services.engine, readOnlyTarget: target } };
      const app: FastifyInstance = await buildServer(broken, { logLevel: "silent" });
      try {
        const res = await app.inject({ method: "GET", url: "/api/v1/audit/verify", headers: auth(auditor.token) });
        expect([res.statusCode, res.json().error.code]).toEqual([503, "audit_verification_unavailable"]);
        expect(await eventsOf([String(res.headers["x-request-id"])])).toMatchObject([
          { actor_id: auditor.actor.userId, outcome: "failure", reason: "audit_verification_unavailable", details: null },
        ]);
      } finally {
        await app.close();
      }
    });
  });
}
