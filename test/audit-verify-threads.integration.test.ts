import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ParallelWalk, verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { eventHash } from "../src/platform/audit/chain.js";
import type { Services } from "../src/platform/services.js";
import { appendReads, MANUAL_SEQUENCER } from "./support/audit-events.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

/**
 * `audit verify` on worker threads checks the log in aligned chunks and joins them; small chunks
 * here put every boundary case — a chunk's first and last event, signed heads partway through a
 * chunk, a short last chunk — within a few hundred events. Each case must give exactly the
 * report of the one-thread walk.
 */
const CHUNK = 32;
// Signed checkpoints at 70 and 170 (inside chunks 3 and 6) and at 300 (the short last chunk).
const BATCHES = [70, 100, 130];
const EVENTS = 300;

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit walk on worker threads`, () => {
    let db: TestDatabase;
    let services: Services;

    beforeEach(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open(MANUAL_SEQUENCER);
      for (const n of BATCHES) await appendReads(services, n);
    });
    afterEach(async () => {
      await services?.close();
      await db?.cleanup();
    });

    const threads = (): ParallelWalk => ({ target: services.engine.readOnlyTarget!, threads: 2, chunkEvents: CHUNK });
    /** The report on threads, after checking it is the one-thread walk's. */
    async function verify() {
      const key = services.vault.checkpointPublicKey;
      const onOneThread = await verifyAuditChain(services.engine.db, key);
      const onThreads = await verifyAuditChain(services.engine.db, key, undefined, [], threads());
      expect(onThreads).toEqual(onOneThread);
      return onThreads;
    }
    const exec = (query: ReturnType<typeof sql>) => query.execute(services.engine.db);
    const at = (position: number) => services.engine.db.selectFrom("audit_events").selectAll().where("position", "=", position).executeTakeFirstOrThrow();

    it("verifies an intact log, the signed roots inside chunks included, and reports progress chunk by chunk", async () => {
      const progress: number[] = [];
      const report = await verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey, (n) => progress.push(n), [], threads());
      expect(report).toMatchObject({ ok: true, events: EVENTS, checkpoints: 3, pending: 0, firstBad: null });
      expect(progress).toEqual(Array.from({ length: Math.ceil(EVENTS / CHUNK) }, (_, i) => Math.min((i + 1) * CHUNK, EVENTS)));
      expect(await verify()).toMatchObject({ ok: true });
    });

    it("catches an event altered inside a chunk", async () => {
      await exec(sql`update audit_events set purpose = 'marketing' where position = 100`);
      expect((await verify()).firstBad).toEqual({ seq: 100, problem: "hash_mismatch" });
    });

    it("catches the deletion of a chunk's first and of a chunk's last event", async () => {
      await exec(sql`delete from audit_events where position = 97`);
      expect((await verify()).firstBad).toEqual({ seq: 97, problem: "sequence_gap" });
      await exec(sql`delete from audit_events where position = 64`);
      expect((await verify()).firstBad).toEqual({ seq: 64, problem: "sequence_gap" });
    });

    it("catches an event re-hashed at a chunk's end: the link into the next chunk breaks", async () => {
      const row = await at(96);
      await services.engine.db
        .updateTable("audit_events")
        .set({ outcome: "denied", hash: eventHash({ ...row, outcome: "denied" }) })
        .where("position", "=", 96)
        .execute();
      expect((await verify()).firstBad).toEqual({ seq: 97, problem: "broken_link" });
    });

    it("catches a tail re-chained after an edit at the first signed head past it", async () => {
      let prev = (await at(149)).hash;
      for (let position = 150; position <= EVENTS; position++) {
        const row = { ...(await at(position)), prev_hash: prev };
        if (position === 150) row.outcome = "denied";
        prev = eventHash(row);
        await services.engine.db
          .updateTable("audit_events")
          .set({ outcome: row.outcome, prev_hash: row.prev_hash, hash: prev })
          .where("position", "=", position)
          .execute();
      }
      expect((await verify()).firstBad).toEqual({ seq: 170, problem: "checkpoint_mismatch" });
    });

    it("catches the newest events deleted behind a signed checkpoint", async () => {
      await exec(sql`delete from audit_events where position > 170`);
      expect((await verify()).firstBad).toEqual({ seq: 171, problem: "truncated" });
    });
  });
}
