import { type Compilable, CompiledQuery, type Kysely } from "kysely";
import type { DialectAdapter } from "kysely";
import { directRunnerOf } from "./direct.js";
import type { Database } from "./schema.js";

/** Where a named argument goes in a query compiled once. */
class Slot {
  constructor(readonly name: string) {}
}

type Slots<A> = { readonly [K in keyof A]: A[K] };

/**
 * A query on the hot path, built and compiled once per engine and then run with new arguments.
 * Building and compiling a Kysely query costs more than SQLite takes to run a small one, and an
 * audited read runs a dozen. `build` receives stand-ins for the arguments; each must be used as a
 * plain value (a comparison operand, a limit), never as a list or to choose the query's shape:
 * the shape is fixed at the first call. The arguments' order comes from the compiled query itself.
 */
export function prepared<A extends object, R>(build: (db: Kysely<Database>, args: Slots<A>) => Compilable<R>): (db: Kysely<Database>, args: A) => Promise<R[]> {
  // Keyed by the engine's adapter: SQLite and PostgreSQL compile the same builder differently.
  const compiled = new WeakMap<DialectAdapter, CompiledQuery<R>>();
  const slots = new Proxy({} as Slots<A>, { get: (_, name) => new Slot(String(name)) });
  return async (db, args) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      query = build(db, slots).compile();
      compiled.set(adapter, query);
    }
    const parameters = query.parameters.map((p) => (p instanceof Slot ? (args as Record<string, unknown>)[p.name] : p));
    const direct = directRunnerOf(db);
    if (direct) return direct(query.sql, parameters) as R[];
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters))).rows;
  };
}
