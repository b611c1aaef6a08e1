/**
 * Scheduled jobs (issue #16): the firm's routine operations — backups and their checks, the monthly
 * restore drill, KEK rotation, retention sweeps and reminders — each a named job with a cron
 * schedule in the firm's time zone, run by the scheduler (job-scheduler.ts) and recorded in job_runs.
 */
import type { Actor } from "../../access/policy/actor.js";
import type { Config } from "../../platform/config.js";
import type { Services } from "../../platform/services.js";
import type { KeyProvider } from "../../vault/key-provider.js";
import type { JobSettings } from "./job-settings.js";

export const JOB_NAMES = [
  "backup",
  "backup-verify",
  "restore-drill",
  "kek-rotation",
  "retention-sweep",
  "request-reminders",
  "drill-reminder",
  "partner-reminders",
  "policy-reviews",
  "training-reminders",
  "paper-overdue",
  "finding-reminders",
] as const;
export type JobName = (typeof JOB_NAMES)[number];
export const isJobName = (value: string): value is JobName => (JOB_NAMES as readonly string[]).includes(value);

/** ok: done; skipped: nothing to do or not possible here (the code says why); failed: an error code. */
export type JobOutcome = "ok" | "skipped" | "failed";

export interface JobResult {
  readonly outcome: JobOutcome;
  /** A stable code for skipped and failed runs (`not_due`, `postgres_backup_external`, `backup_error` …). */
  readonly code?: string;
  /** One line for operators: counts, codes, file names. Never personal data. */
  readonly summary: string;
  /** What a following job works on (the backup file a verification checks). */
  readonly artifact?: string;
}

/** What a job may use: the services, the data directory's configuration and the key provider (restore drill). */
export interface JobContext {
  readonly services: Services;
  readonly config: Config;
  readonly keyProvider: KeyProvider;
  readonly settings: JobSettings;
}

export interface JobDefinition {
  readonly name: JobName;
  readonly description: string;
  /** Default cron (5 fields, the firm's time zone); overridden by CUSTODIA_JOB_<NAME>_CRON. */
  readonly defaultCron: string | null;
  /** Runs right after this job, for the same occurrence, instead of on its own schedule. */
  readonly after?: JobName;
  run(ctx: JobContext, now: Date, previous?: JobResult): Promise<JobResult>;
}

/**
 * The scheduler acts for itself; its events name it, never a person. The role is what the command
 * it calls authorizes (key rotation is `key.manage`, the retention sweep `retention.manage`).
 */
export const JOB_OPERATOR: Actor = Object.freeze({ userId: "system:scheduler", role: "admin" });
export const JOB_COMPLIANCE: Actor = Object.freeze({ userId: "system:scheduler", role: "compliance" });

export const jobRequestId = (name: JobName, at: Date) => `job-${name}-${at.getTime()}`;
