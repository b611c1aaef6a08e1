/** Storage shapes of scheduled jobs (migration 0025). Summaries hold counts and codes, never personal data. */

export interface DbJobRun {
  id: string;
  job: string;
  /** The cron occurrence this run is for (ISO UTC); a manual run uses the moment it was asked for. */
  scheduled_for: string;
  /** schedule | manual */
  trigger: string;
  server_id: string;
  started_at: string;
  finished_at: string | null;
  /** running | ok | failed | skipped */
  outcome: string;
  summary: string | null;
}

/** The scheduler's leader lease: one row per lease name, taken over only once expired. */
export interface DbJobLease {
  name: string;
  holder: string;
  acquired_at: string;
  expires_at: string;
}

/** Something a job does once per period (a drill reminder per due period), claimed by its key. */
export interface DbJobMark {
  job: string;
  mark: string;
  created_at: string;
}

/** A type alias (not an interface) so Kysely's withTables accepts it before schema.ts lists it. */
export type JobTables = {
  job_runs: DbJobRun;
  job_leases: DbJobLease;
  job_marks: DbJobMark;
};
