/**
 * backup: `custodia backup create` + `custodia backup verify` (createBackup, verifyBackup) on a
 * SQLite database of N clients seeded through the real importer; for scale, vs the bare SQLite
 * work underneath measured on the same file in this run: better-sqlite3's own online `backup()`,
 * and a file copy + `PRAGMA integrity_check`.
 */
import { copyFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { createBackup, verifyBackup } from "../src/governance/backups/backup.js";
import type { ClientData } from "../src/records/clients/client.js";
import { importClients } from "../src/records/clients/client-importer.js";
import { loadConfig } from "../src/platform/config.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import { openServices, type Services } from "../src/platform/services.js";
import { fmt, MemoryKeyProvider, median, now, settle, tempDir, type Benchmark } from "./lib.js";

const BATCH = 2000; // `custodia demo`'s default batch
const PURPOSES = ["case-handling", "conflict-check", "billing", "client-service"];
/** Our backup is the engine's online backup plus an erasure-ledger sync, a count and one audit event. */
const BACKUP_TARGET_RATIO = 1.5;
const ctx = { actor: { userId: "system:bench", role: "partner" as const }, requestId: "bench-backup", purpose: null };

/** Seeds like `custodia demo` (importClients, 2,000 per transaction; one audit event per client). */
async function seed(services: Services, clients: number, log: (line: string) => void): Promise<number> {
  const next = syntheticClients(7);
  const t0 = now();
  let reported = 0;
  for (let done = 0; done < clients; ) {
    const size = Math.min(BATCH, clients - done);
    const batch: ClientData[] = Array.from({ length: size }, () => ({ ...next(), purposes: PURPOSES }));
    await importClients(services, ctx, batch);
    done += size;
    if (done - reported >= 100_000 || done === clients) {
      reported = done;
      const s = now() - t0;
      log(`seeded ${fmt(done)} / ${fmt(clients)} clients (${fmt(done / s)}/s, ${s.toFixed(0)}s)`);
    }
  }
  return now() - t0;
}

/** The floor of a backup: SQLite's online backup API through a second connection, nothing else. */
async function rawBackup(file: string, out: string): Promise<number> {
  const db = new SQLite(file, { readonly: true });
  try {
    const t = now();
    await db.backup(out);
    return now() - t;
  } finally {
    db.close();
  }
}

/** The floor of a verification: copy the file aside and run SQLite's integrity check on it. */
function rawVerify(file: string, scratch: string): number {
  const t = now();
  const copy = join(scratch, "raw-verify.db");
  copyFileSync(file, copy);
  const db = new SQLite(copy, { readonly: true });
  try {
    const result = db.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`raw integrity_check: ${String(result)}`);
    return now() - t;
  } finally {
    db.close();
    rmSync(copy, { force: true });
  }
}

export const backupBench: Benchmark = {
  name: "backup",
  summary: "`backup create` + `backup verify` of 1,000,000 clients (createBackup, verifyBackup) vs raw SQLite",
  async run({ quick, log }) {
    const clients = quick ? 20_000 : 1_000_000;
    const rounds = quick ? 3 : 2;
    const dir = tempDir("backup");
    const out = tempDir("backup-out");
    // An empty environment: CUSTODIA_DATABASE_URL must not send this to PostgreSQL.
    const config = loadConfig({ dataDir: dir.path }, {});
    const services = await openServices(config, { keyProvider: new MemoryKeyProvider() });
    try {
      const seedSeconds = await seed(services, clients, log);
      const live = join(dir.path, "custodia.db");
      const ours = { backup: [] as number[], verify: [] as number[] };
      const raw = { backup: [] as number[], verify: [] as number[] };
      let bytes = 0;
      let events = 0;
      const rawRound = async (r: number) => {
        const rawFile = join(out.path, `raw-${r}.db`);
        await settle();
        raw.backup.push(await rawBackup(live, rawFile));
        await settle();
        raw.verify.push(rawVerify(rawFile, out.path));
        rmSync(rawFile, { force: true });
      };
      const oursRound = async (r: number) => {
        const file = join(out.path, `ours-${r}.db`);
        await settle();
        let t = now();
        const report = await createBackup(services, ctx, config, file);
        ours.backup.push(now() - t);
        await settle();
        t = now();
        const verified = await verifyBackup(services.vault, file);
        ours.verify.push(now() - t);
        if (!verified.ok || report.clients !== clients || verified.clients !== clients) {
          throw new Error(
            `backup disagrees: created ${report.clients}, verified ${verified.clients} of ${clients} clients, ok ${verified.ok} (integrity ${verified.integrity})`,
          );
        }
        bytes = statSync(file).size;
        events = verified.chain.events;
        rmSync(file, { force: true });
      };
      // Alternating order (AB, BA, …), so a noisy neighbour and the page cache favour neither side;
      // medians of `rounds` runs.
      for (let r = 0; r < rounds; r++) {
        if (r % 2 === 0) {
          await rawRound(r);
          await oursRound(r);
        } else {
          await oursRound(r);
          await rawRound(r);
        }
        log(
          `round ${r + 1}: ours backup ${ours.backup.at(-1)!.toFixed(2)}s + verify ${ours.verify.at(-1)!.toFixed(2)}s; raw backup ${raw.backup.at(-1)!.toFixed(2)}s + copy+integrity_check ${raw.verify.at(-1)!.toFixed(2)}s`,
        );
      }
      const m = { oursBackup: median(ours.backup), oursVerify: median(ours.verify), rawBackup: median(raw.backup), rawVerify: median(raw.verify) };
      const label = clients >= 1e6 ? `${fmt(clients / 1e6, 1)}M` : `${fmt(clients / 1000)}k`;
      return {
        rows: [
          {
            benchmark: `backup create ${label} clients`,
            unit: "s",
            ours: m.oursBackup,
            peerLabel: "raw db.backup()",
            peer: m.rawBackup,
            ratio: m.oursBackup / m.rawBackup,
            target: { op: "<=", value: BACKUP_TARGET_RATIO },
          },
          {
            benchmark: `backup verify ${label} clients`,
            unit: "s",
            ours: m.oursVerify,
            peerLabel: "copy+integrity_check",
            peer: m.rawVerify,
            ratio: m.oursVerify / m.rawVerify,
            target: null,
          },
        ],
        details: { clients, rounds, seedSeconds, seedPerSecond: clients / seedSeconds, bytes, events, ours, raw, medians: m },
      };
    } finally {
      await services.close();
      dir.remove();
      out.remove();
    }
  },
};
