/** Settings of the scheduled jobs, read once from the environment (documented in the README). */
import { join } from "node:path";
import { Cron } from "croner";
import { ConfigError } from "../../platform/config.js";
import { JOB_NAMES, type JobName } from "./job.js";

export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export interface JobSettings {
  /** The firm's time zone: cron expressions are read in it (CUSTODIA_TIME_ZONE). */
  readonly timeZone: string;
  /** Where backups are written (CUSTODIA_BACKUP_DIR; default `<data dir>/backups`). */
  readonly backupDir: string;
  /** How many backups are kept (CUSTODIA_BACKUP_KEEP; default 14). */
  readonly backupKeep: number;
  /** Rotate the KEK once it is older than this (CUSTODIA_KEK_MAX_AGE_DAYS; default 365). */
  readonly kekMaxAgeDays: number;
  /** Remind compliance when no incident drill was held for this long (CUSTODIA_DRILL_INTERVAL_DAYS; default 180). */
  readonly drillIntervalDays: number;
  /** Per job: its cron expression, or null when switched off (CUSTODIA_JOB_<NAME>_CRON=off). */
  readonly crons: Readonly<Partial<Record<JobName, string | null>>>;
}

/** `backup-verify` → `CUSTODIA_JOB_BACKUP_VERIFY_CRON`. */
export const cronEnvName = (job: JobName) => `CUSTODIA_JOB_${job.toUpperCase().replaceAll("-", "_")}_CRON`;

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const value = env[name];
  if (value === undefined || value.trim() === "") return fallback;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ConfigError(`${name} must be a whole number from 1 to ${max}.`);
  return n;
}

export function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    throw new ConfigError(`CUSTODIA_TIME_ZONE "${zone}" is not an IANA time zone (e.g. Asia/Shanghai).`);
  }
}

/** Refuses, at start-up, a cron expression croner cannot read. */
export function checkCron(expression: string, source: string): string {
  try {
    new Cron(expression, { paused: true, mode: "5-part" });
    return expression;
  } catch {
    throw new ConfigError(`${source} "${expression}" is not a 5-field cron expression (minute hour day month weekday).`);
  }
}

export function jobSettingsFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): JobSettings {
  const crons: Partial<Record<JobName, string | null>> = {};
  for (const job of JOB_NAMES) {
    const value = env[cronEnvName(job)]?.trim();
    if (!value) continue;
    crons[job] = value === "off" ? null : checkCron(value, cronEnvName(job));
  }
  return Object.freeze({
    timeZone: checkTimeZone(env.CUSTODIA_TIME_ZONE?.trim() || DEFAULT_TIME_ZONE),
    backupDir: env.CUSTODIA_BACKUP_DIR?.trim() || join(dataDir, "backups"),
    backupKeep: wholeNumber(env, "CUSTODIA_BACKUP_KEEP", 14, 10_000),
    kekMaxAgeDays: wholeNumber(env, "CUSTODIA_KEK_MAX_AGE_DAYS", 365, 36_500),
    drillIntervalDays: wholeNumber(env, "CUSTODIA_DRILL_INTERVAL_DAYS", 180, 36_500),
    crons: Object.freeze(crons),
  });
}
