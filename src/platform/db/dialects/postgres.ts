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
    async lockAuditSequencer(tx, wait) {
      if (wait) {
        await sql`select pg_advisory_xact_lock(${AUDIT_SEQUENCER_LOCK}, hashtext(current_schema()))`.execute(tx);
        return true;
      }
      const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${AUDIT_SEQUENCER_LOCK}, hashtext(current_schema())) as locked`.execute(
        tx,
      );
      return rows[0]?.locked === true;
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
