/**
 * import: bulk import throughput into SQLite through the real CLI (`custodia demo --json`), which
 * validates, encrypts and writes one audit event per client. Compared with the 20,000/s target,
 * and, for scale, with raw better-sqlite3 inserts of the same row shapes measured in this run.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import type { ClientData } from "../src/records/clients/client.js";
import { newClientRow } from "../src/records/clients/client-sealing.js";
import { PERSONAL_FIELDS } from "../src/records/clients/fields.js";
import { loadConfig } from "../src/platform/config.js";
import type { DbAuditEvent, DbClient } from "../src/platform/db/schema.js";
import { syntheticClients } from "../src/platform/demo/synthetic.js";
import { openServices } from "../src/platform/services.js";
import { Vault } from "../src/vault/vault.js";
import { cleanEnv, fmt, MemoryKeyProvider, now, tempDir, timeOrderedId, type Benchmark } from "./lib.js";

const ROOT = join(import.meta.dirname, "..");
const TARGET_PER_SECOND = 20_000;
const BATCH = 2000; // the CLI's default batch
const PURPOSES = ["case-handling", "conflict-check", "billing", "client-service"];

/** Runs `custodia demo` in a child process, exactly as an operator would; returns its own clients/s. */
async function cliImport(clients: number): Promise<{ perSecond: number; seconds: number }> {
  const dir = tempDir("import");
  try {
    // Only `migrate` (or `serve`) starts a vault; every other command refuses an empty data dir.
    await promisify(execFile)(process.execPath, [join(ROOT, "bin/custodia.mjs"), "migrate", "--data-dir", dir.path], { env: cleanEnv() });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, "bin/custodia.mjs"), "demo", "--clients", String(clients), "--batch", String(BATCH), "--json", "--data-dir", dir.path],
      { env: cleanEnv(), maxBuffer: 1 << 20 },
    );
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { clients: number; seconds: number; perSecond: number };
    if (result.clients !== clients) throw new Error(`custodia demo imported ${result.clients}, expected ${clients}`);
    return { perSecond: result.perSecond, seconds: result.seconds };
  } finally {
    dir.remove();
  }
}

const placeholders = (cols: readonly string[]) => `(${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`;

/**
 * The floor: the same client, data-key and audit-event rows written with prepared statements in
 * one transaction, on a database with the same schema and pragmas. Building the rows (encryption
 * and event hashes, through the same src functions) is timed apart from inserting them.
 */
async function rawImport(clients: number): Promise<{ buildSeconds: number; insertSeconds: number }> {
  const dir = tempDir("import-raw");
  try {
    const keyProvider = new MemoryKeyProvider();
    // Real migrations and a stored KEK v1, so the schema, indexes and foreign keys are the product's.
    await (await openServices(loadConfig({ dataDir: dir.path }, {}), { keyProvider })).close();
    const db = new SQLite(join(dir.path, "custodia.db"));
    for (const p of ["journal_mode = WAL", "synchronous = NORMAL", "foreign_keys = ON", "secure_delete = ON"]) db.pragma(p);
    const vault = await Vault.open(keyProvider);
    vault.createKek(1);

    const clientCols = [
      "id",
      "kind",
      "id_type",
      "purposes",
      "name_ct",
      "id_number_ct",
      "phone_ct",
      "email_ct",
      "address_ct",
      "birth_date_ct",
      "notes_ct",
      "name_bidx",
      "id_number_bidx",
      "phone_bidx",
      "email_bidx",
      "status",
      "row_version",
      "created_at",
      "updated_at",
      "erased_at",
    ] as const satisfies readonly (keyof DbClient)[];
    const eventCols = [
      "seq",
      "id",
      "at",
      "actor_id",
      "actor_role",
      "action",
      "target_type",
      "target_id",
      "purpose",
      "outcome",
      "reason",
      "request_id",
      "details",
      "prev_hash",
      "hash",
    ] as const satisfies readonly (keyof DbAuditEvent)[];
    const insertClient = db.prepare(`INSERT INTO clients ${placeholders(clientCols)}`);
    const insertKey = db.prepare(
      "INSERT INTO data_keys (client_id, dek_version, kek_version, wrapped_key, created_at, destroyed_at) VALUES (?, ?, ?, ?, ?, NULL)",
    );
    const insertEvent = db.prepare(`INSERT INTO audit_events ${placeholders(eventCols)}`);

    const next = syntheticClients(1);
    let buildSeconds = 0;
    let seq = 0;
    const started = now();
    db.transaction(() => {
      for (let done = 0; done < clients; done += BATCH) {
        const t0 = now();
        const at = new Date().toISOString();
        const requestId = `bench-${timeOrderedId()}`;
        const batch = Array.from({ length: Math.min(BATCH, clients - done) }, () => {
          const data: ClientData = { ...next(), purposes: PURPOSES };
          const id = timeOrderedId();
          const { dataKey, wrapped } = vault.newDataKey(id, 1);
          const event: DbAuditEvent = {
            seq: ++seq,
            id: timeOrderedId(),
            at,
            actor_id: "system:demo",
            actor_role: "partner",
            action: "client.create",
            target_type: "client",
            target_id: id,
            purpose: null,
            outcome: "success",
            reason: null,
            request_id: requestId,
            details: JSON.stringify({ via: "import", fields: PERSONAL_FIELDS.filter((f) => data[f]) }),
            // Pending, as the app inserts them: the sequencer chains them later, off the import's path.
            prev_hash: "",
            hash: "",
            position: null,
          };
          return { row: newClientRow(vault, dataKey, id, data, at), wrapped, event };
        });
        buildSeconds += now() - t0;
        for (const { row, wrapped, event } of batch) {
          insertClient.run(row);
          insertKey.run(row.id, wrapped.dekVersion, wrapped.kekVersion, wrapped.wrapped, row.created_at);
          insertEvent.run(event);
        }
      }
    })();
    const total = now() - started;
    db.close();
    return { buildSeconds, insertSeconds: total - buildSeconds };
  } finally {
    dir.remove();
  }
}

export const importBench: Benchmark = {
  name: "import",
  summary: "bulk import via `custodia demo` into SQLite (audit events included) vs the 20,000/s target",
  async run({ quick, log }) {
    const clients = quick ? 20_000 : 200_000;
    log(`custodia demo --clients ${fmt(clients)} --batch ${BATCH} (child process)`);
    const ours = await cliImport(clients);
    log(`ours: ${fmt(ours.perSecond)} clients/s (${ours.seconds}s)`);
    log(`raw better-sqlite3 baseline, ${fmt(clients)} clients, one transaction`);
    const raw = await rawImport(clients);
    const rawInsert = clients / raw.insertSeconds;
    const rawTotal = clients / (raw.buildSeconds + raw.insertSeconds);
    log(`raw: build ${raw.buildSeconds.toFixed(2)}s (${fmt(clients / raw.buildSeconds)}/s), insert ${raw.insertSeconds.toFixed(2)}s (${fmt(rawInsert)}/s)`);

    return {
      rows: [
        {
          benchmark: `import ${fmt(clients / 1000)}k clients`,
          unit: "clients/s",
          ours: ours.perSecond,
          peerLabel: "target",
          peer: TARGET_PER_SECOND,
          ratio: ours.perSecond / TARGET_PER_SECOND,
          target: { op: ">=", value: 1 },
        },
        {
          benchmark: "import vs raw inserts only",
          unit: "clients/s",
          ours: ours.perSecond,
          peerLabel: "raw sqlite",
          peer: rawInsert,
          ratio: ours.perSecond / rawInsert,
          target: null,
        },
        {
          benchmark: "import vs raw crypto+inserts",
          unit: "clients/s",
          ours: ours.perSecond,
          peerLabel: "raw sqlite",
          peer: rawTotal,
          ratio: ours.perSecond / rawTotal,
          target: null,
        },
      ],
      details: {
        clients,
        batch: BATCH,
        ours,
        raw: { ...raw, insertPerSecond: rawInsert, buildPerSecond: clients / raw.buildSeconds, totalPerSecond: rawTotal },
      },
    };
  },
};
