/** The jobs API's answers (src/http/routes/jobs/schema.ts); codes are labelled by labels.ts. */
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

export interface Job {
  name: string;
  description: string;
  cron: string | null;
  after: string | null;
  enabled: boolean;
  timeZone: string;
  nextRun: string | null;
  nextRunLocal: string | null;
  lastRun: JobRun | null;
  recentRuns: JobRun[];
}

export interface JobList {
  items: Job[];
  leader: { holder: string; expiresAt: string } | null;
}

export interface JobRunReport {
  job: string;
  scheduledFor: string;
  trigger: string;
  result: { outcome: string; code?: string; summary: string };
}
