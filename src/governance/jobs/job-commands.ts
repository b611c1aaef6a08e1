/** The jobs as the CLI and the API see them: list with last runs, and run one now (`job.manage`). */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import { isJobName, type JobName } from "./job.js";
import { type JobRun, recentRuns } from "./job-runs.js";
import type { JobScheduler, RunReport } from "./job-scheduler.js";
import { currentLeader } from "./leader-lease.js";

export interface JobView {
  name: JobName;
  description: string;
  /** The cron expression in force; null when the job follows another or is off. */
  cron: string | null;
  /** The job it runs right after, if any. */
  after: JobName | null;
  enabled: boolean;
  timeZone: string;
  /** Next occurrence, ISO UTC, and the same instant in the firm's time zone. */
  nextRun: string | null;
  nextRunLocal: string | null;
  lastRun: JobRun | null;
  recentRuns: JobRun[];
}

/** `2026-03-02 02:30` in the firm's zone. */
export function localTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

async function guard(scheduler: JobScheduler, ctx: RequestContext, action: string, targetId: string | null): Promise<void> {
  const decision = authorize(ctx.actor, "job.manage");
  if (decision.effect === "deny")
    await runAudited(scheduler.context.services, ctx, async (w) => w.deny(decision, { action, targetType: "job", targetId, purpose: null }));
}

/** The server running the schedule now (the lease holder), if any. */
export async function schedulerLeader(scheduler: JobScheduler, ctx: RequestContext) {
  await guard(scheduler, ctx, "job.list", null);
  return currentLeader(scheduler.context.services.engine.db, scheduler.now());
}

export async function listJobs(scheduler: JobScheduler, ctx: RequestContext, options: { recent?: number } = {}): Promise<JobView[]> {
  await guard(scheduler, ctx, "job.list", null);
  const { services, settings } = scheduler.context;
  const views: JobView[] = [];
  for (const job of scheduler.jobs) {
    const runs = await recentRuns(services.engine.db, job.name, Math.max(1, options.recent ?? 1));
    const next = scheduler.nextRun(job);
    views.push({
      name: job.name,
      description: job.description,
      cron: scheduler.follows(job) ? null : scheduler.cronOf(job),
      after: scheduler.follows(job),
      enabled: scheduler.enabled(job),
      timeZone: settings.timeZone,
      nextRun: next?.toISOString() ?? null,
      nextRunLocal: next ? localTime(next, settings.timeZone) : null,
      lastRun: runs[0] ?? null,
      recentRuns: runs,
    });
  }
  return views;
}

/** Runs the job now (with the jobs that follow it), recorded as a manual run by the caller. */
export async function runJob(scheduler: JobScheduler, ctx: RequestContext, name: string): Promise<RunReport[]> {
  const target = isJobName(name) ? name : null;
  await guard(scheduler, ctx, "job.run", target);
  if (!target) throw NotFoundError("Job");
  return scheduler.runNow(target, { kind: "staff", userId: ctx.actor.userId, role: ctx.actor.role });
}
