/**
 * Statements run straight on SQLite's one read-write connection, past Kysely's executor, for a
 * transaction known to hold that connection alone: a group of units (group-commit.ts) while it is
 * open. Kysely's executor costs several times what SQLite takes to answer a small query by key,
 * and an audited read runs more than a dozen; the statement, its arguments and the transaction
 * are the same either way. Anything not registered here (PostgreSQL, the bare `db`, a closed
 * group) goes through Kysely as before.
 */
export type DirectRunner = (sql: string, parameters: readonly unknown[]) => unknown[];

const runners = new WeakMap<object, DirectRunner>();

/** Registers `tx` for the direct path until `release` is called (when its transaction ends). */
export function runDirectly(tx: object, runner: DirectRunner): () => void {
  runners.set(tx, runner);
  return () => runners.delete(tx);
}

/** The direct runner of `db`, if it is an open transaction registered by its engine. */
export function directRunnerOf(db: object): DirectRunner | undefined {
  return runners.get(db);
}
