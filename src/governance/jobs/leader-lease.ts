/**
 * The scheduler's leader lease: a row with an expiry, so one server of several runs the schedule.
 * A row rather than pg_try_advisory_lock: it works the same on SQLite and PostgreSQL, needs no
 * dedicated connection held open for the server's life, and survives a pool reconnect. The lease
 * only spares the others the work of trying; the unique claim on each occurrence (job-runs.ts)
 * is what guarantees a single run, even while the lease changes hands.
 */
import type { Db } from "../../platform/db/engine.js";
import type { JobTables } from "./tables.js";

export const LEASE_NAME = "scheduler";

/** Takes or renews the lease for `ttlMs` from `now`; true when `holder` has it. */
export async function acquireLease(db: Db, holder: string, now: Date, ttlMs: number, name = LEASE_NAME): Promise<boolean> {
  const jobs = db.withTables<JobTables>();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + ttlMs).toISOString();
  await jobs
    .insertInto("job_leases")
    .values({ name, holder, acquired_at: at, expires_at: expires })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  // Conditional update: only the holder renews, and anyone takes over an expired lease.
  const taken = await jobs
    .updateTable("job_leases")
    .set((eb) => ({ holder, expires_at: expires, acquired_at: eb.case().when("holder", "=", holder).then(eb.ref("acquired_at")).else(at).end() }))
    .where("name", "=", name)
    .where((eb) => eb.or([eb("holder", "=", holder), eb("expires_at", "<", at)]))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1;
}

/** Gives the lease up at shutdown, so another server takes over without waiting for the expiry. */
export async function releaseLease(db: Db, holder: string, name = LEASE_NAME): Promise<void> {
  await db.withTables<JobTables>().deleteFrom("job_leases").where("name", "=", name).where("holder", "=", holder).execute();
}

/** Which server holds the lease and until when (jobs list); null when none does at `now`. */
export async function currentLeader(db: Db, now: Date, name = LEASE_NAME): Promise<{ holder: string; expiresAt: string } | null> {
  const row = await db.withTables<JobTables>().selectFrom("job_leases").select(["holder", "expires_at"]).where("name", "=", name).executeTakeFirst();
  return row && row.expires_at >= now.toISOString() ? { holder: row.holder, expiresAt: row.expires_at } : null;
}
