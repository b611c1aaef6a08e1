/**
 * Issue #12: the sequencer off the request path. A request's transaction only inserts its events
 * (pending: no position, no chain hash); the sequencer places them and signs a checkpoint per batch
 * within its interval. Pending events are counted by `audit verify`; an event whose transaction
 * commits late is placed after those that committed first, and the log still verifies.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { openTreeCheckpoint, auditLogKey } from "../src/platform/audit/tree-checkpoint.js";
import type { Services } from "../src/platform/services.js";
import { integrate, MANUAL_SEQUENCER } from "./support/audit-events.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

const read = (i: number): AuditEventInput => ({
  action: "client.read",
  outcome: "success",
  actorId: "u1",
  actorRole: "lawyer",
  targetType: "client",
  targetId: `c${i}`,
  purpose: "case-handling",
  requestId: `r${i}`,
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: the audit sequencer`, () => {
    let db: TestDatabase;
    const opened: Services[] = [];
    const open = async (options?: { sequencerIntervalMs?: number }) => {
      const services = await db.open(options);
      opened.push(services);
      return services;
    };
    const append = (services: Services, from: number, n: number) =>
      services.engine.db.transaction().execute((tx) =>
        services.auditLog.append(
          tx,
          Array.from({ length: n }, (_, i) => read(from + i)),
        ),
      );
    const verify = (services: Services) => verifyAuditChain(services.engine.db, services.vault.checkpointPublicKey);

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      await db?.cleanup();
    });

    it("keeps a request's events pending, counted by verify, until the sequencer places and signs them within its interval", async () => {
      db = await createTestDatabase(dialect);
      const requests = await open(MANUAL_SEQUENCER);
      const appended = await append(requests, 0, 12);
      expect(appended.every((e) => e.position === null && e.hash === "")).toBe(true);
      expect(await verify(requests)).toMatchObject({ ok: true, events: 0, pending: 12 });

      // Another process with the default loop (here every 100 ms) places them without being asked.
      const sequencer = await open({ sequencerIntervalMs: 100 });
      await expect.poll(async () => (await verify(requests)).pending, { timeout: 5_000, interval: 50 }).toBe(0);
      expect(sequencer.auditSequencer.stats.integrated).toBe(12);
      expect(await verify(requests)).toMatchObject({ ok: true, events: 12, pending: 0, checkpoints: 1 });
      const checkpoint = await requests.engine.db.selectFrom("audit_checkpoints").select(["seq", "note"]).executeTakeFirstOrThrow();
      expect(openTreeCheckpoint(checkpoint.note!, auditLogKey(requests.vault.checkpointPublicKey).vkey).size).toBe(12);
      // Placed in arrival order.
      const rows = await requests.engine.db.selectFrom("audit_events").select(["seq", "position"]).orderBy("seq").execute();
      expect(rows.map((r) => Number(r.position))).toEqual(rows.map((_, i) => i + 1));
    });

    it("signs one checkpoint per batch, and none when nothing is pending", async () => {
      db = await createTestDatabase(dialect);
      const services = await open(MANUAL_SEQUENCER);
      await append(services, 0, 5);
      expect(await integrate(services)).toBe(5);
      await append(services, 5, 3);
      expect(await integrate(services)).toBe(3);
      expect(await integrate(services)).toBe(0);
      const sizes = await services.engine.db.selectFrom("audit_checkpoints").select("seq").orderBy("seq").execute();
      expect(sizes.map((c) => Number(c.seq))).toEqual([5, 8]);
    });

    it("closing a process places what it appended (a CLI command's events do not wait for a server)", async () => {
      db = await createTestDatabase(dialect);
      const cli = await db.open(MANUAL_SEQUENCER);
      await append(cli, 0, 4);
      await cli.close();
      const after = await open(MANUAL_SEQUENCER);
      expect(await verify(after)).toMatchObject({ ok: true, events: 4, pending: 0 });
    });

    it.runIf(dialect === "postgres")("places an event whose transaction commits late after those that committed first", async () => {
      db = await createTestDatabase(dialect);
      const services = await open(MANUAL_SEQUENCER);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let drawn!: () => void;
      const hasDrawn = new Promise<void>((resolve) => (drawn = resolve));
      // The slow request draws its arrival number first, then holds its transaction open.
      const slow = services.engine.db.transaction().execute(async (tx) => {
        const [event] = await services.auditLog.append(tx, [read(0)]);
        drawn();
        await held;
        return event!;
      });
      await hasDrawn;
      const [fast] = await append(services, 1, 1);
      expect(await integrate(services)).toBe(1); // the slow one is not committed: not visible, not placed
      release();
      const late = await slow;
      expect(late.seq).toBeLessThan(fast!.seq);
      expect(await integrate(services)).toBe(1);
      const placed = await services.engine.db.selectFrom("audit_events").select(["seq", "position"]).orderBy("position").execute();
      expect(placed.map((r) => Number(r.seq))).toEqual([fast!.seq, late.seq]);
      expect(await verify(services)).toMatchObject({ ok: true, events: 2, pending: 0, checkpoints: 2 });
    });
  });
}
