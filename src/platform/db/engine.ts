import type { Kysely, Transaction } from "kysely";
import type { Database, DbAuditEvent } from "./schema.js";
import type { WalCheckpointer } from "./wal/wal-checkpointer.js";

export type EngineName = "sqlite" | "postgres";
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/** Where another thread can open the same database, read-only (audit verification off the event loop). */
export type ReadOnlyTarget =
  | { readonly kind: "sqlite"; readonly file: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema: string | null };

/**
 * What the rest of Custodia knows about the SQL engine: a Kysely instance and a few capability
 * hooks. Engine differences live in `dialects/`, never as `if (engine === …)` in domain code.
 */
export interface Engine {
  readonly name: EngineName;
  readonly db: Db;
  /**
   * For a lone read outside any unit of work on the request path (a token's row): it sees what is
   * committed and does not queue behind an open transaction. SQLite: a read-only connection of its
   * own (the one read-write connection may be holding a group of units); PostgreSQL: the pool.
   */
  readonly reader: Db;
  /** Column type for ciphertext and other bytes. */
  readonly binaryType: "blob" | "bytea";
  /**
   * Schema holding Kysely's migration tables, where the engine has schemas. Named explicitly:
   * otherwise the migrator may see another schema's tables and skip creating its own.
   */
  readonly migrationSchema: string | undefined;
  /** A safe description for logs (no credentials). */
  readonly description: string;
  /**
   * Runs one unit of work in a transaction and settles once it committed. SQLite groups the
   * units that arrive together into one commit (group-commit.ts); PostgreSQL gives each its own.
   */
  runTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Serialises audit-chain appends among every connection and server sharing the database;
   * held until the surrounding transaction ends.
   */
  lockAuditChain(tx: Tx): Promise<void>;
  /**
   * Arrival numbers (`audit_events.seq`) for `count` new events: unique, increasing in the order
   * they were drawn, with gaps where a transaction rolled back. No lock is held afterwards.
   */
  auditArrivals(tx: Tx, count: number): Promise<number[]>;
  /**
   * Makes this transaction the audit sequencer until it ends: only one integrates events at a time
   * among every server. With `wait: false` it returns false at once if another holds it; with
   * `wait: true`, after a bounded wait (the holder is placing the same events).
   */
  lockAuditSequencer(tx: Tx, wait: boolean): Promise<boolean>;
  /** Writes the sequencer's placing (position and chain links) of pending events, as fast as the engine allows. */
  placeAuditEvents(tx: Tx, rows: readonly Pick<DbAuditEvent, "seq" | "position" | "prev_hash" | "hash">[]): Promise<void>;
  /**
   * Writes a consistent online snapshot of the whole database to `file` (BCK-1), where the engine
   * can do it in-process; undefined otherwise (PostgreSQL: pg_dump is the path).
   */
  readonly backupTo?: (file: string) => Promise<void>;
  /**
   * SQLite with a file: checkpoints its WAL from a worker thread from now on, instead of in the
   * commit that fills it (wal/wal-checkpointer.ts); for a long-running server. Stopped by `destroy`.
   */
  readonly checkpointInBackground?: () => WalCheckpointer;
  /** Undefined where no other connection can reach the database (in-memory SQLite). */
  readonly readOnlyTarget?: ReadOnlyTarget;
  destroy(): Promise<void>;
}
