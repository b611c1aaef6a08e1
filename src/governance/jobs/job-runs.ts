/**
 * Job runs (job_runs): each occurrence is claimed once — the insert of (job, scheduled_for) is
 * unique, so a second server, a second scheduler in the same process or a lease handed over
 * mid-run finds it taken — and finished in one unit of work with its `job.ran` audit event.
 */
import { type AuditActor, runUnitOfWork } from "../../platform/audit/audited.js";
import type { Db } from "../../platform/db/engine.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { JobName, JobResult } from "./job.js";
import type { DbJobRun, JobTables } from "./tables.js";

export type JobTrigger = "schedule" | "manual";

const jobsDb = (db: Db) => db.withTables<JobTables>();

export interface Claim {
  readonly id: string;
  readonly job: JobName;
  readonly scheduledFor: string;
  readonly trigger: JobTrigger;
}

/** Claims one occurrence; null when another run (any server) already has it. */
export async function claimRun(services: Services, job: JobName, scheduledFor: Date, trigger: JobTrigger, serverId: string, now: Date): Promise<Claim | null> {
  const id = uuidv7();
  const result = await jobsDb(services.engine.db)
    .insertInto("job_runs")
    .values({
      id,
      job,
      scheduled_for: scheduledFor.toISOString(),
      trigger,
      server_id: serverId,
      started_at: now.toISOString(),
      finished_at: null,
      outcome: "running",
      summary: null,
    })
    .onConflict((oc) => oc.columns(["job", "scheduled_for"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1 ? { id, job, scheduledFor: scheduledFor.toISOString(), trigger } : null;
}

/** Records the outcome and its audit event in one transaction. */
export async function finishRun(services: Services, claim: Claim, result: JobResult, actor: AuditActor, requestId: string, now: Date): Promise<void> {
  const summary = result.code && !result.summary.startsWith(result.code) ? `${result.code}: ${result.summary}` : result.summary;
  await runUnitOfWork(services, { actor, requestId, purpose: null }, async (w) => {
    await w.tx
      .withTables<JobTables>()
      .updateTable("job_runs")
      .set({ finished_at: now.toISOString(), outcome: result.outcome, summary: summary.slice(0, 500) })
      .where("id", "=", claim.id)
      .execute();
    w.record({
      action: "job.ran",
      targetType: "job",
      targetId: claim.job,
      purpose: null,
      outcome: result.outcome === "failed" ? "failure" : "success",
      reason: result.code ?? null,
      details: { runId: claim.id, scheduledFor: claim.scheduledFor, trigger: claim.trigger, result: result.outcome },
    });
  });
}

export interface JobRun {
  id: string;
  job: string;
  scheduledFor: string;
  trigger: string;
  serverId: string;
  startedAt: string;
  finishedAt: string | null;
  outcome: string;
  summary: string | null;
}

const present = (r: DbJobRun): JobRun => ({
  id: r.id,
  job: r.job,
  scheduledFor: r.scheduled_for,
  trigger: r.trigger,
  serverId: r.server_id,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  outcome: r.outcome,
  summary: r.summary,
});

/** The newest runs of a job (ids are UUIDv7: in the order the runs were claimed). */
export async function recentRuns(db: Db, job: JobName, limit: number): Promise<JobRun[]> {
  const rows = await jobsDb(db).selectFrom("job_runs").selectAll().where("job", "=", job).orderBy("id", "desc").limit(limit).execute();
  return rows.map(present);
}

/** The latest occurrence run on schedule: catch-up after a restart starts from it. */
export async function lastScheduledOccurrence(db: Db, job: JobName): Promise<Date | null> {
  const row = await jobsDb(db)
    .selectFrom("job_runs")
    .select((eb) => eb.fn.max("scheduled_for").as("at"))
    .where("job", "=", job)
    .where("trigger", "=", "schedule")
    .executeTakeFirst();
  return row?.at ? new Date(row.at as string) : null;
}
