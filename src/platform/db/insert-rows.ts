import type { Insertable } from "kysely";
import { directRunnerOf } from "./direct.js";
import type { Tx } from "./engine.js";
import type { Database } from "./schema.js";

type Row<T extends keyof Database> = Insertable<Database[T]>;

/**
 * Inserts many rows of one table in the caller's transaction (bulk import, search tokens). On
 * SQLite's direct path (direct.ts) each row is one run of a single prepared statement: SQLite takes
 * a row that way in about two thirds of the time Kysely takes to build, and SQLite to parse, a
 * VALUES list of hundreds of rows. Elsewhere (PostgreSQL: a round trip per statement) rows go in
 * multi-row statements of `chunk` rows.
 *
 * The direct path needs every row to carry the same columns; rows that do not (a column left out
 * for its default in some) go through Kysely, which handles that.
 */
export async function insertRows<T extends keyof Database>(tx: Tx, table: T, rows: readonly Row<T>[], chunk = 500): Promise<void> {
  if (rows.length === 0) return;
  const direct = directRunnerOf(tx);
  const columns = direct ? sameColumns(rows as readonly Record<string, unknown>[]) : null;
  if (direct && columns) {
    // Names come from the code's own row objects (the schema's columns), never from input.
    const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) values (${columns.map(() => "?").join(", ")})`;
    const values = new Array<unknown>(columns.length);
    for (const row of rows as readonly Record<string, unknown>[]) {
      for (let i = 0; i < columns.length; i++) values[i] = row[columns[i]!];
      direct(text, values);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += chunk)
    await tx
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
}

/** The columns every row gives a value (undefined counts as not given), or null if they differ. */
function sameColumns(rows: readonly Record<string, unknown>[]): string[] | null {
  const columns = Object.keys(rows[0]!).filter((c) => rows[0]![c] !== undefined);
  for (const row of rows) {
    let given = 0;
    for (const c in row) if (row[c] !== undefined) given++;
    if (given !== columns.length || columns.some((c) => row[c] === undefined)) return null;
  }
  return columns;
}
