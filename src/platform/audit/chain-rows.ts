import SQLite from "better-sqlite3";
import type { Db, ReadOnlyTarget } from "../db/engine.js";
import { HASHED_COLUMNS, NULLABLE_HASHED_COLUMNS } from "./chain.js";
import type { ChainLink } from "./chain-chunk.js";
import { eventHashInput } from "./history-check/event-hash.js";

/** The audit log's placed events by position, as chain links. */
export interface ChainRows {
  /** Events at positions [from, to], in position order. */
  between(from: number, to: number): Promise<Iterable<ChainLink>>;
  close(): Promise<void>;
}

/** Through a Kysely connection: the server's own (the in-process walk), or PostgreSQL's on a thread. */
export const chainRowsOf = (db: Db, close: () => Promise<void> = async () => {}): ChainRows => ({
  async between(from, to) {
    const rows = await db
      .selectFrom("audit_events")
      .select([...HASHED_COLUMNS, "hash", "position"])
      .where("position", ">=", from)
      .where("position", "<=", to)
      .orderBy("position")
      .execute();
    return rows.map((r): ChainLink => [r.position, eventHashInput(r), r.prev_hash, r.hash]);
  },
  close,
});

/**
 * SQLite builds the hashed text itself (chain.ts eventHashInput, in SQL): one string per row
 * instead of fourteen halves the cost of reading a long log. `ifnull` mirrors the template
 * literal exactly — U+0000 for a NULL where eventHashInput writes it, "null" where it does not —
 * so no row can be read differently here than on the other path (test/chain-hash-sql.test.ts).
 */
export const SQLITE_HASH_INPUT = `concat_ws(char(31), ${HASHED_COLUMNS.map((c) =>
  NULLABLE_HASHED_COLUMNS.has(c) ? `ifnull("${c}", char(0))` : `ifnull("${c}", 'null')`,
).join(", ")})`;

/** A read-only connection of its own, for a verifying thread. */
export async function openChainRows(target: ReadOnlyTarget): Promise<ChainRows> {
  if (target.kind === "postgres") {
    // Loaded only here: a thread on SQLite starts faster without the PostgreSQL driver.
    const { openReadOnly } = await import("../db/read-only.js");
    const db = openReadOnly(target);
    return chainRowsOf(db, () => db.destroy());
  }
  const sqlite = new SQLite(target.file, { readonly: true, fileMustExist: true });
  sqlite.pragma("busy_timeout = 5000");
  // Raw rows, streamed: no object per row, no array per chunk.
  const statement = sqlite
    .prepare(`SELECT position, ${SQLITE_HASH_INPUT}, prev_hash, hash FROM audit_events WHERE position >= ? AND position <= ? ORDER BY position`)
    .raw(true);
  return {
    between: async (from, to) => statement.iterate(from, to) as IterableIterator<ChainLink>,
    close: async () => void sqlite.close(),
  };
}
