import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Db, ReadOnlyTarget } from "./engine.js";
import type { Database } from "./schema.js";

const INT8_OID = 20;

/**
 * A connection of its own that can only read, for work on another thread (audit verification):
 * SQLite opened read-only (WAL lets it read while the server writes), PostgreSQL with
 * read-only transactions, one connection.
 */
export function openReadOnly(target: ReadOnlyTarget): Db {
  if (target.kind === "sqlite") {
    const sqlite = new SQLite(target.file, { readonly: true, fileMustExist: true });
    sqlite.pragma("busy_timeout = 5000");
    return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  }
  const settings = [...(target.schema ? [`-c search_path=${target.schema}`] : []), "-c default_transaction_read_only=on"].join(" ");
  const pool = new pg.Pool({
    connectionString: target.url,
    max: 1,
    options: settings,
    // As the server's pool: audit sequence numbers are BIGINT, far below 2^53.
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
