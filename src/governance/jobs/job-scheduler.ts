/**
 * The scheduler: croner computes each job's occurrences in the firm's time zone; `runDue(now)`
 * runs every job whose latest occurrence at or before `now` has not been claimed yet (a missed one
 * is caught up once after a restart, never once per missed day). Time comes from an injectable
 * clock, so tests drive it without waiting; only `start()` uses a real timer.
 */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Cron } from "croner";
import type { AuditActor } from "../../platform/audit/audited.js";
import { errorCode } from "./error-code.js";
import { type JobContext, type JobDefinition, type JobName, type JobResult, jobRequestId } from "./job.js";
import { JOBS } from "./job-registry.js";
import { claimRun, finishRun, lastScheduledOccurrence, type JobTrigger } from "./job-runs.js";
import { acquireLease, releaseLease } from "./leader-lease.js";

export interface SchedulerOptions {
  readonly clock?: () => Date;
  /** Names this server in job_runs and the lease (default: host, process and a random tag). */
  readonly serverId?: string;
  readonly jobs?: readonly JobDefinition[];
  /** How long the lease lasts without renewal (default 2 minutes; the timer renews it every 30 s). */
  readonly leaseMs?: number;
  /** How often the real timer looks for due jobs (default 30 s). */
  readonly tickMs?: number;
  /** Told about each finished run (serve logs it): codes and counts only. */
  readonly onRun?: (run: RunReport) => void;
}

export interface RunReport {
  readonly job: JobName;
  readonly scheduledFor: string;
  readonly trigger: JobTrigger;
  readonly result: JobResult;
}

export const defaultServerId = () => `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(3).toString("hex")}`;

export class JobScheduler {
  readonly serverId: string;
  readonly #ctx: JobContext;
  readonly #clock: () => Date;
  readonly #jobs: readonly JobDefinition[];
  readonly #leaseMs: number;
  readonly #tickMs: number;
  readonly #onRun: (run: RunReport) => void;
  /** Occurrences before this scheduler first looked are not run (a new install does not run last night's backup). */
  #startedAt: Date | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<unknown> | null = null;

  constructor(ctx: JobContext, options: SchedulerOptions = {}) {
    this.#ctx = ctx;
    this.#clock = options.clock ?? (() => new Date());
    this.serverId = options.serverId ?? defaultServerId();
    this.#jobs = options.jobs ?? JOBS;
    this.#leaseMs = options.leaseMs ?? 120_000;
    this.#tickMs = options.tickMs ?? 30_000;
    this.#onRun = options.onRun ?? (() => {});
  }

  now(): Date {
    return this.#clock();
  }

  get context(): JobContext {
    return this.#ctx;
  }

  get jobs(): readonly JobDefinition[] {
    return this.#jobs;
  }

  /** The job's effective cron expression: the env override, else the default; null when off or following another job. */
  cronOf(job: JobDefinition): string | null {
    const override = this.#ctx.settings.crons[job.name];
    return override !== undefined ? override : job.defaultCron;
  }

  enabled(job: JobDefinition): boolean {
    const override = this.#ctx.settings.crons[job.name];
    return override !== null && (job.after !== undefined || this.cronOf(job) !== null);
  }

  /** Follows another job unless given a schedule of its own. */
  follows(job: JobDefinition): JobName | null {
    return job.after !== undefined && this.#ctx.settings.crons[job.name] === undefined ? job.after : null;
  }

  #cron(job: JobDefinition): Cron | null {
    const pattern = this.follows(job) ? null : this.cronOf(job);
    return pattern ? new Cron(pattern, { timezone: this.#ctx.settings.timeZone, paused: true, mode: "5-part" }) : null;
  }

  /** The next occurrence after `from`, for listing. */
  nextRun(job: JobDefinition, from: Date = this.#clock()): Date | null {
    return this.enabled(job) ? (this.#cron(job)?.nextRun(from) ?? null) : null;
  }

  /** Runs every due occurrence not yet claimed, if this server holds the lease. Returns what ran here. */
  async runDue(now: Date = this.#clock()): Promise<RunReport[]> {
    this.#startedAt ??= now;
    const ran: RunReport[] = [];
    for (const job of this.#jobs) {
      if (!this.enabled(job) || this.follows(job)) continue;
      const cron = this.#cron(job);
      // The latest occurrence at or before now (croner's "previous" excludes the reference itself).
      const occurrence = cron?.previousRuns(1, new Date(now.getTime() + 1))[0];
      if (!occurrence) continue;
      const last = await lastScheduledOccurrence(this.#ctx.services.engine.db, job.name);
      if (last ? occurrence <= last : occurrence < this.#startedAt) continue;
      // Renewed before each job: a long backup must not let the lease lapse between jobs.
      if (!(await acquireLease(this.#ctx.services.engine.db, this.serverId, this.#clock(), this.#leaseMs))) return ran;
      ran.push(...(await this.#runWithFollowers(job, occurrence, "schedule", { kind: "system" })));
    }
    return ran;
  }

  /** Runs a job now (CLI, API), with the jobs that follow it; `actor` is who asked. */
  runNow(name: JobName, actor: AuditActor): Promise<RunReport[]> {
    const job = this.#jobs.find((j) => j.name === name);
    if (!job) throw new Error(`unknown job ${name}`);
    return this.#runWithFollowers(job, this.#clock(), "manual", actor);
  }

  async #runWithFollowers(job: JobDefinition, occurrence: Date, trigger: JobTrigger, actor: AuditActor): Promise<RunReport[]> {
    const first = await this.#runOne(job, occurrence, trigger, actor);
    if (!first) return [];
    const reports = [first];
    for (const follower of this.#jobs.filter((j) => this.follows(j) === job.name && this.enabled(j))) {
      const r = await this.#runOne(follower, occurrence, trigger, actor, first.result);
      if (r) reports.push(r);
    }
    return reports;
  }

  async #runOne(job: JobDefinition, occurrence: Date, trigger: JobTrigger, actor: AuditActor, previous?: JobResult): Promise<RunReport | null> {
    const { services } = this.#ctx;
    const claim = await claimRun(services, job.name, occurrence, trigger, this.serverId, this.#clock());
    if (!claim) return null;
    const now = this.#clock();
    let result: JobResult;
    try {
      result = await job.run(this.#ctx, now, previous);
    } catch (error) {
      // A failing job is recorded and the others still run; the code, never the message.
      const code = errorCode(error);
      result = { outcome: "failed", code, summary: code };
    }
    await finishRun(services, claim, result, actor, jobRequestId(job.name, now), this.#clock());
    const report = { job: job.name, scheduledFor: claim.scheduledFor, trigger, result };
    this.#onRun(report);
    return report;
  }

  /** Starts the real timer (serve): looks for due jobs every tick, one pass at a time. */
  start(onError: (code: string) => void = () => {}): void {
    if (this.#timer) return;
    const tick = () => {
      if (this.#running) return;
      this.#running = this.runDue()
        .catch((error) => onError(errorCode(error)))
        .finally(() => (this.#running = null));
    };
    tick();
    this.#timer = setInterval(tick, this.#tickMs);
    this.#timer.unref();
  }

  /** Stops the timer, waits for a run in progress and gives the lease up. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => {});
    await releaseLease(this.#ctx.services.engine.db, this.serverId).catch(() => {});
  }
}
