import { chmodSync } from "node:fs";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import type { Engine } from "../engine.js";
import type { Database } from "../schema.js";

export interface SqliteOptions {
  file: string;
  /** NORMAL is crash-safe in WAL mode; FULL also survives power loss of the last commits. */
  synchronous?: "NORMAL" | "FULL";
}

export function createSqliteEngine(options: SqliteOptions): Engine {
  const sqlite = new SQLite(options.file);
  // Owner-only, like the master key; SQLite gives the -wal and -shm files the same mode.
  if (options.file !== ":memory:") chmodSync(options.file, 0o600);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Overwrite freed pages with zeros, so a shredded data key does not linger in free space.
  sqlite.pragma("secure_delete = ON");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    name: "sqlite",
    db,
    binaryType: "blob",
    migrationSchema: undefined,
    description: `sqlite:${options.file}`,
    // SQLite has one connection per process and Kysely runs one transaction on it at a time,
    // so appends are already serial; another process waits on the database write lock.
    async lockAuditChain() {},
    // The one connection writes in turn: the next numbers after the highest are free.
    async auditArrivals(tx, count) {
      const row = await tx.selectFrom("audit_events").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirst();
      const after = row ? Number(row.seq) : 0;
      return Array.from({ length: count }, (_, i) => after + i + 1);
    },
    async lockAuditSequencer() {
      return true;
    },
    // A prepared UPDATE by primary key per event: SQLite joins a VALUES list to the table by scanning it.
    async placeAuditEvents(tx, rows) {
      for (const r of rows) {
        await sql`update audit_events set position = ${r.position}, prev_hash = ${r.prev_hash}, hash = ${r.hash} where seq = ${r.seq} and position is null`.execute(
          tx,
        );
      }
    },
    // SQLite's online backup API copies pages while the database stays in use, and the copy is
    // consistent. secure_delete keeps shredded keys out of free pages, so they are not copied either.
    async backupTo(file) {
      await sqlite.backup(file);
      chmodSync(file, 0o600);
    },
    async destroy() {
      await db.destroy();
    },
  };
}

/**
 * Kysely prepares every statement it runs; preparing costs more than running the small queries
 * a request makes, so prepared statements are kept per SQL text (a bounded, recently-used set).
 */
function withStatementCache(sqlite: SQLite.Database, size = 256) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql); // re-insert: Map order is the recency order
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= size) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
