import { chmodSync } from "node:fs";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Engine } from "../engine.js";
import { type DirectRunner, runDirectly } from "../direct.js";
import { createGroupCommit } from "../group-commit.js";
import { InlineLimits } from "../inline-limits.js";
import { prepared } from "../prepared.js";
import type { Database } from "../schema.js";
import { startWalCheckpointer, type WalCheckpointer } from "../wal/wal-checkpointer.js";

export interface SqliteOptions {
  file: string;
  /** NORMAL is crash-safe in WAL mode; FULL also survives power loss of the last commits. */
  synchronous?: "NORMAL" | "FULL";
}

const PLACE_EVENT = "update audit_events set position = ?, prev_hash = ?, hash = ? where seq = ? and position is null";

// Every audited request asks it: compiled once.
const lastArrival = prepared((db) => db.selectFrom("audit_events").select("seq").orderBy("seq", "desc").limit(1));

export function createSqliteEngine(options: SqliteOptions): Engine {
  // The last arrival number drawn in each open transaction.
  const drawn = new WeakMap<object, number>();
  const sqlite = new SQLite(options.file);
  // Owner-only, like the master key; SQLite gives the -wal and -shm files the same mode.
  if (options.file !== ":memory:") chmodSync(options.file, 0o600);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // 64 MiB of page cache instead of SQLite's 2: the audit log's and the search tokens' indexes
  // take rows at scattered places, and every page missed is read back from the file.
  sqlite.pragma("cache_size = -65536");
  // Overwrite freed pages with zeros, so a shredded data key does not linger in free space.
  sqlite.pragma("secure_delete = ON");
  const statements = withStatementCache(sqlite);
  const plugins = [new InlineLimits()];
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }), plugins });
  // WAL lets a second connection read what is committed while the first holds a transaction.
  const reader = options.file === ":memory:" ? db : readerOf(options.file, plugins);
  let checkpointer: WalCheckpointer | undefined;
  return {
    name: "sqlite",
    db,
    reader,
    runTransaction: createGroupCommit(db, { direct: directRunner(statements) }),
    binaryType: "blob",
    migrationSchema: undefined,
    description: `sqlite:${options.file}`,
    // SQLite has one connection per process and Kysely runs one transaction on it at a time,
    // so appends are already serial; another process waits on the database write lock.
    async lockAuditChain() {},
    // The one connection writes in turn: the next numbers after the highest are free. Units
    // grouped in one transaction draw on from the number the previous unit drew (the
    // transaction holds the write lock once it wrote, so no other process draws meanwhile).
    async auditArrivals(tx, count) {
      let after = drawn.get(tx);
      if (after === undefined) {
        const [row] = await lastArrival(tx, {});
        after = row ? Number(row.seq) : 0;
      }
      drawn.set(tx, after + count);
      return Array.from({ length: count }, (_, i) => after + i + 1);
    },
    async lockAuditSequencer() {
      return true;
    },
    // A prepared UPDATE by primary key per event (SQLite joins a VALUES list to the table by
    // scanning it), run straight on the connection the sequencer's transaction holds: going through
    // Kysely per event kept that transaction, and every request queued behind it, open longer.
    async placeAuditEvents(tx, rows) {
      if (!tx.isTransaction) throw new Error("placeAuditEvents runs in the sequencer's transaction");
      const place = statements.prepare(PLACE_EVENT);
      for (const r of rows) place.run(r.position, r.prev_hash, r.hash, r.seq);
    },
    // SQLite's online backup API copies pages while the database stays in use, and the copy is
    // consistent. secure_delete keeps shredded keys out of free pages, so they are not copied either.
    async backupTo(file) {
      await sqlite.backup(file);
      chmodSync(file, 0o600);
    },
    ...(options.file === ":memory:" ? {} : { checkpointInBackground: () => (checkpointer ??= startWalCheckpointer(sqlite, options.file)) }),
    async destroy() {
      await checkpointer?.stop();
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  };
}

/** Runs a statement as Kysely's SQLite driver would, on the same cached statements. */
function directRunner(statements: ReturnType<typeof withStatementCache>): DirectRunner {
  return (text, parameters) => {
    const stmt = statements.prepare(text);
    if (stmt.reader) return stmt.all(parameters);
    stmt.run(parameters);
    return [];
  };
}

/**
 * The read-only connection, with its statements run directly (direct.ts): it never holds a
 * transaction, so a statement there is one autocommit read whichever way it is sent, and the
 * token lookup every API request makes skips Kysely's executor.
 */
function readerOf(file: string, plugins: InlineLimits[]): Kysely<Database> {
  const sqlite = new SQLite(file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  const statements = withStatementCache(sqlite);
  const reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }), plugins });
  runDirectly(reader, directRunner(statements));
  return reader;
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
