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
    async destroy() {
      await db.destroy();
    },
  };
}
