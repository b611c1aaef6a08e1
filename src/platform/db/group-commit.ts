/**
 * Group commit for an engine with one connection (SQLite). Committing is the most expensive step
 * of a small unit of work (the WAL frames of every page it touched are written), and on one
 * connection units of work never overlap anyway: so units that arrive while a group is open run
 * one after another in the group's transaction, each in its own savepoint, and one commit makes
 * them all durable.
 *
 * - A unit that throws rolls back to its savepoint alone; the others commit.
 * - A unit's promise settles only after the commit: nobody is answered before their audit event
 *   is durable. If the commit fails, every unit of the group fails with it (fail closed).
 * - The group closes when no unit is waiting at the end of an event-loop turn (requests that
 *   arrived meanwhile have had their turn to join), or at `maxUnits`, so a unit waits at most
 *   one turn plus the units queued before it.
 */
import { sql } from "kysely";
import { type DirectRunner, runDirectly } from "./direct.js";
import type { Db, Tx } from "./engine.js";

type Work<T> = (tx: Tx) => Promise<T>;

// Taken at load: a test that fakes timers must not leave a group open forever.
const turn = setImmediate;

interface Unit {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Units in one transaction at most (bounds the latency of the last one). */
  maxUnits?: number;
  /** Runs statements on the connection the group's transaction holds, past Kysely (direct.ts). */
  direct?: DirectRunner;
}

export function createGroupCommit(db: Db, options: GroupCommitOptions = {}): <T>(work: Work<T>) => Promise<T> {
  const maxUnits = options.maxUnits ?? 64;
  const waiting: Unit[] = [];
  let running = false;

  const nextTurn = () => new Promise<void>((resolve) => turn(resolve));

  async function runGroup(): Promise<void> {
    const done: { unit: Unit; value: unknown }[] = [];
    try {
      await db.transaction().execute(async (tx) => {
        const release = options.direct ? runDirectly(tx, options.direct) : undefined;
        const exec = async (statement: string) => {
          if (options.direct) options.direct(statement, []);
          else await sql.raw(statement).execute(tx);
        };
        try {
          for (let n = 0; n < maxUnits; n++) {
            if (waiting.length === 0) await nextTurn();
            const unit = waiting.shift();
            if (!unit) break;
            await exec("savepoint group_unit");
            try {
              const value = await unit.work(tx);
              await exec("release group_unit");
              done.push({ unit, value });
            } catch (error) {
              await exec("rollback to group_unit");
              await exec("release group_unit");
              unit.reject(error);
            }
          }
        } finally {
          release?.();
        }
      });
    } catch (error) {
      for (const { unit } of done) unit.reject(error);
      return;
    }
    for (const { unit, value } of done) unit.resolve(value);
  }

  async function drain() {
    running = true;
    try {
      while (waiting.length > 0) await runGroup();
    } finally {
      running = false;
    }
  }

  return <T>(work: Work<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
      if (!running) void drain();
    });
}
