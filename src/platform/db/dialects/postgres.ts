import { Kysely, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { Engine } from "../engine.js";
import type { Database } from "../schema.js";

export interface PostgresOptions {
  url: string;
  /** Schema to use instead of `public` (tests give each suite its own). */
  schema?: string;
  poolSize?: number;
}

// Any constant shared by every Custodia server on the database.
const AUDIT_CHAIN_LOCK = 0x637573746f; // "custo"
/** Events per UPDATE when placing: 4 parameters each, well under the 65,535 limit. */
const PLACE_CHUNK = 2000;
/** With the schema's hash as the second key: vaults in other schemas of one database do not contend. */
const AUDIT_SEQUENCER_LOCK = 0x73657175; // "sequ"
/** How long a caller that needs its events placed now (a proof, a backup) waits for the sequencer. */
const SEQUENCER_WAIT_MS = 10_000;

const INT8_OID = 20;

export function createPostgresEngine(options: PostgresOptions): Engine {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    // Audit sequence numbers are BIGINT; they stay far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const url = new URL(options.url);
  url.password = url.password ? "***" : "";
  return {
    name: "postgres",
    db,
    reader: db,
    // Each unit has its own connection from the pool: concurrent commits already overlap.
    runTransaction: (work) => db.transaction().execute(work),
    binaryType: "bytea",
    migrationSchema: options.schema ?? "public",
    description: `${url.toString()}${options.schema ? ` (schema ${options.schema})` : ""}`,
    async lockAuditChain(tx) {
      await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(tx);
    },
    async auditArrivals(tx, count) {
      const { rows } = await sql<{ seq: number }>`select nextval('audit_event_arrival') as seq from generate_series(1, ${count})`.execute(tx);
      return rows.map((r) => Number(r.seq));
    },
    // Waiting is bounded and polled, never a blocking lock: a holder that cannot go on (a process
    // frozen mid-batch) would otherwise hold up every caller, and a lock timeout would abort the
    // caller's transaction. Whoever holds the lock is placing the caller's committed events anyway.
    async lockAuditSequencer(tx, wait) {
      const deadline = Date.now() + (wait ? SEQUENCER_WAIT_MS : 0);
      for (;;) {
        const { rows } = await sql<{
          locked: boolean;
        }>`select pg_try_advisory_xact_lock(${AUDIT_SEQUENCER_LOCK}, hashtext(current_schema())) as locked`.execute(tx);
        if (rows[0]?.locked === true) return true;
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    // One UPDATE … FROM a VALUES list per chunk: a round trip per chunk, not per event.
    async placeAuditEvents(tx, rows) {
      for (let i = 0; i < rows.length; i += PLACE_CHUNK) {
        const values = sql.join(rows.slice(i, i + PLACE_CHUNK).map((r) => sql`(${r.seq}::bigint, ${r.position}::bigint, ${r.prev_hash}, ${r.hash})`));
        await sql`update audit_events as e set position = p.position, prev_hash = p.prev_hash, hash = p.hash
          from (values ${values}) as p(seq, position, prev_hash, hash)
          where e.seq = p.seq and e.position is null`.execute(tx);
      }
    },
    async destroy() {
      await db.destroy();
    },
  };
}
