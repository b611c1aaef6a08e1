/** Every scheduled job, its default schedule (the firm's time zone) and what it calls. */
import { retentionSweep } from "../retention/retention-sweeper.js";
import { remindRequests } from "../../rights/requests/request-reminders.js";
import { runBackup, runBackupVerify, runRestoreDrill } from "./backup-jobs.js";
import { runDrillReminder } from "./drill-reminder-job.js";
import { JOB_COMPLIANCE, type JobDefinition, type JobName, jobRequestId } from "./job.js";
import { runKekRotation } from "./kek-rotation-job.js";
import { runPartnerAttention } from "./partner-attention-job.js";
import { runPaperOverdue } from "./paper-overdue-job.js";
import { runFindingReminders } from "./finding-reminders-job.js";
import { runPolicyReviewReminder } from "./policy-review-job.js";
import { runTrainingReminders } from "./training-reminder-job.js";

export const JOBS: readonly JobDefinition[] = Object.freeze([
  { name: "backup", description: "online backup into the backup directory, the last N kept", defaultCron: "30 2 * * *", run: runBackup },
  { name: "backup-verify", description: "verify the backup just taken", defaultCron: null, after: "backup", run: runBackupVerify },
  {
    name: "restore-drill",
    description: "restore the latest backup into a scratch directory, check it, remove it",
    defaultCron: "0 4 1 * *",
    run: runRestoreDrill,
  },
  { name: "kek-rotation", description: "rotate the KEK once it is older than CUSTODIA_KEK_MAX_AGE_DAYS", defaultCron: "0 3 * * *", run: runKekRotation },
  {
    name: "retention-sweep",
    description: "list clients due for destruction under the retention schedules",
    defaultCron: "15 3 * * *",
    async run(ctx, now) {
      const r = await retentionSweep(
        ctx.services,
        { actor: JOB_COMPLIANCE, requestId: jobRequestId("retention-sweep", now), purpose: null },
        now.toISOString(),
      );
      return { outcome: "ok", summary: `${r.due.length} clients due for destruction, ${r.held.length} held` };
    },
  },
  {
    name: "request-reminders",
    description: "deadline reminders and overdue notices for client requests",
    defaultCron: "*/15 * * * *",
    async run(ctx, now) {
      const r = await remindRequests(ctx.services, now, jobRequestId("request-reminders", now));
      return { outcome: "ok", summary: `${r.reminders} reminders, ${r.overdue} overdue notices, ${r.notified} notified` };
    },
  },
  {
    name: "drill-reminder",
    description: "remind compliance when no incident drill was held within CUSTODIA_DRILL_INTERVAL_DAYS",
    defaultCron: "0 9 * * *",
    run: runDrillReminder,
  },
  {
    name: "partner-reminders",
    description: "tell compliance of partner contracts expiring within 30 days and overdue re-assessments",
    defaultCron: "5 9 * * *",
    run: runPartnerAttention,
  },
  {
    name: "policy-reviews",
    description: "tell compliance and the owner of internal policies whose review falls due within 30 days or is overdue",
    defaultCron: "10 9 * * *",
    run: runPolicyReviewReminder,
  },
  {
    name: "training-reminders",
    description: "remind staff of assigned training due within 7 days or overdue",
    defaultCron: "15 9 * * *",
    run: runTrainingReminders,
  },
  {
    name: "paper-overdue",
    description: "tell the archive keepers of paper files past their check-out's due day, once per loan",
    defaultCron: "20 9 * * *",
    run: runPaperOverdue,
  },
  {
    name: "finding-reminders",
    description: "remind owners of assessment and audit findings due within 7 days; overdue ones to compliance too, weekly",
    defaultCron: "10 9 * * *",
    run: runFindingReminders,
  },
]);

export const jobNamed = (name: JobName): JobDefinition => JOBS.find((j) => j.name === name)!;
