import { z } from "zod";
import { JOB_NAMES } from "../../../governance/jobs/job.js";

export const JobRunSchema = z.object({
  id: z.string(),
  job: z.string(),
  scheduledFor: z.string().describe("The occurrence the run is for (ISO UTC); a manual run's own start"),
  trigger: z.string().describe("schedule | manual"),
  serverId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  outcome: z.string().describe("running | ok | failed | skipped"),
  summary: z.string().nullable().describe("Counts and codes, never personal data"),
});

export const JobSchema = z.object({
  name: z.enum(JOB_NAMES),
  description: z.string(),
  cron: z.string().nullable().describe("5-field cron in the firm's time zone; null when the job follows another or is off"),
  after: z.enum(JOB_NAMES).nullable(),
  enabled: z.boolean(),
  timeZone: z.string(),
  nextRun: z.string().nullable(),
  nextRunLocal: z.string().nullable().describe("The next run in the firm's time zone, YYYY-MM-DD HH:mm"),
  lastRun: JobRunSchema.nullable(),
  recentRuns: z.array(JobRunSchema),
});
export const JobListSchema = z.object({
  items: z.array(JobSchema),
  leader: z.object({ holder: z.string(), expiresAt: z.string() }).nullable().describe("The server running the schedule (lease holder), if any"),
});

export const JobRunReportSchema = z.object({
  job: z.enum(JOB_NAMES),
  scheduledFor: z.string(),
  trigger: z.enum(["schedule", "manual"]),
  result: z.object({ outcome: z.enum(["ok", "skipped", "failed"]), code: z.string().optional(), summary: z.string() }),
});
export const JobRunResponseSchema = z.object({ runs: z.array(JobRunReportSchema) });
export type JobRunResponse = z.infer<typeof JobRunResponseSchema>;

export const JobNameParams = z.strictObject({ name: z.string().min(1).max(40) });
