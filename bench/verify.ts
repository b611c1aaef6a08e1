/**
 * verify: `custodia audit verify` throughput (verifyAuditChain) over a SQLite audit log of N
 * realistic events, vs the 1,000,000 events/s target; for scale, vs the floor of a full re-hash
 * (better-sqlite3 .iterate() and one SHA-256 per row) measured on the same file in this run.
 */
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import type { AuditEventInput } from "../src/platform/audit/audit-event.js";
import { onEveryCore, verifyAuditChain } from "../src/platform/audit/audit-verifier.js";
import { eventHash } from "../src/platform/audit/chain.js";
import { loadConfig } from "../src/platform/config.js";
import type { DbAuditEvent } from "../src/platform/db/schema.js";
import { openServices, type Services } from "../src/platform/services.js";
import { fmt, MemoryKeyProvider, median, now, settle, tempDir, type Benchmark } from "./lib.js";

const TARGET_PER_SECOND = 1_000_000;
const CHUNK = 10_000;
const PURPOSES = ["case-handling", "conflict-check", "billing", "client-service"];

/** Client reads by a few dozen staff over a pool of clients: the log's commonest event. */
async function buildLog(services: Services, events: number): Promise<void> {
  const staff = Array.from({ length: 40 }, (_, i) => ({ id: randomUUID(), role: i % 4 === 0 ? "lawyer" : "partner" }));
  const clients = Array.from({ length: 20_000 }, () => randomUUID());
  for (let done = 0; done < events; done += CHUNK) {
    const batch: AuditEventInput[] = [];
    for (let i = done; i < Math.min(done + CHUNK, events); i++) {
      const actor = staff[i % staff.length]!;
      const masked = actor.role === "lawyer"; // clearance 3 reads the L4 ID number masked
      batch.push({
        action: "client.read",
        outcome: "success",
        actorId: actor.id,
        actorRole: actor.role,
        targetType: "client",
        targetId: clients[(i * 7919) % clients.length]!,
        purpose: PURPOSES[i % PURPOSES.length]!,
        reason: masked ? "clearance_below_level" : "permitted",
        requestId: randomUUID(),
        details: masked ? { masked: ["idNumber"] } : null,
      });
    }
    // A real log is written with varying timestamps; one per chunk is enough for the hash input.
    const at = new Date(Date.UTC(2025, 0, 1) + done).toISOString();
    await services.engine.db.transaction().execute((tx) => services.auditLog.append(tx, batch, at));
  }
}

/** The floor for any full verification: read every row once and hash it once. */
function rawRehash(file: string): number {
  const db = new SQLite(file, { readonly: true });
  try {
    let n = 0;
    for (const row of db.prepare("SELECT * FROM audit_events ORDER BY seq").iterate() as IterableIterator<DbAuditEvent>) {
      if (eventHash(row) !== row.hash) throw new Error(`raw re-hash: event ${row.seq} does not match`);
      n++;
    }
    return n;
  } finally {
    db.close();
  }
}

export const verifyBench: Benchmark = {
  name: "verify",
  summary: "audit chain verification (verifyAuditChain) vs the 1,000,000 events/s target",
  async run({ quick, log }) {
    const events = quick ? 100_000 : 1_000_000;
    const rounds = 3;
    const dir = tempDir("verify");
    // An empty environment: CUSTODIA_DATABASE_URL must not send this to PostgreSQL.
    const services = await openServices(loadConfig({ dataDir: dir.path }, {}), {
      keyProvider: new MemoryKeyProvider(),
      // Placed in one go below, so the sequencer's rate is measured on its own.
      sequencerIntervalMs: 3_600_000,
    });
    try {
      const t0 = now();
      await buildLog(services, events);
      log(`appended ${fmt(events)} events in ${(now() - t0).toFixed(1)}s`);
      const t1 = now();
      const placed = await services.auditSequencer.flush();
      log(`sequencer placed and signed ${fmt(placed)} events in ${(now() - t1).toFixed(1)}s (${fmt(placed / (now() - t1))} events/s)`);

      const ours: number[] = [];
      const raw: number[] = [];
      // Alternating, so a noisy neighbour slows both sides alike; medians of `rounds` runs.
      for (let r = 0; r < rounds; r++) {
        await settle();
        let t = now();
        const n = rawRehash(join(dir.path, "custodia.db"));
        raw.push(n / (now() - t));
        await settle();
        t = now();
        const report = await verifyAuditChain(
          services.engine.db,
          services.vault.checkpointPublicKey,
          undefined,
          [],
          onEveryCore(services.engine.readOnlyTarget),
        );
        ours.push(report.events / (now() - t));
        if (!report.ok || report.events !== events || n !== events) {
          throw new Error(`verification disagrees: ${JSON.stringify(report)}, raw saw ${n} of ${events}`);
        }
        log(`round ${r + 1}: ours ${fmt(ours.at(-1)!)} events/s, raw ${fmt(raw.at(-1)!)} events/s`);
      }
      const oursMedian = median(ours);
      const rawMedian = median(raw);
      return {
        rows: [
          {
            benchmark: `verify ${fmt(events / 1e6, 1)}M events`,
            unit: "events/s",
            ours: oursMedian,
            peerLabel: "target",
            peer: TARGET_PER_SECOND,
            ratio: oursMedian / TARGET_PER_SECOND,
            target: { op: ">=", value: 1 },
          },
          {
            benchmark: "verify vs raw iterate+sha256",
            unit: "events/s",
            ours: oursMedian,
            peerLabel: "raw sqlite",
            peer: rawMedian,
            ratio: oursMedian / rawMedian,
            target: null,
          },
        ],
        details: { events, rounds, ours, raw },
      };
    } finally {
      await services.close();
      dir.remove();
    }
  },
};
