/**
 * Training reminders (TRN-1): everyone with an assigned course due within 7 days, or overdue, is
 * told in-app (and by email if subscribed). Once per obligation for "due soon", then once a week
 * while overdue — claimed in job_marks, so several servers and manual runs never send one twice.
 * The notice carries the course id and the due day only.
 */
import { runAudited } from "../../platform/audit/audited.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { dueEnd, trainingObligations } from "../training/obligations.js";
import { JOB_COMPLIANCE, type JobContext, type JobResult, jobRequestId } from "./job.js";
import type { JobTables } from "./tables.js";

export const TRAINING_REMINDER_DAYS = 7;

export async function runTrainingReminders(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services } = ctx;
  const at = now.toISOString();
  const horizon = new Date(now.getTime() + TRAINING_REMINDER_DAYS * 86_400_000).toISOString();
  const week = Math.floor(now.getTime() / (7 * 86_400_000));
  return runAudited<JobResult>(services, { actor: JOB_COMPLIANCE, requestId: jobRequestId("training-reminders", now), purpose: null }, async (w) => {
    const obligations = (await trainingObligations(w.tx, now)).filter((o) => o.status === "overdue" || (o.status === "pending" && dueEnd(o.dueOn) <= horizon));
    let sent = 0;
    for (const o of obligations) {
      const overdue = o.status === "overdue";
      const mark = overdue ? `overdue:${o.userId}:${o.courseId}:${o.dueOn}:${week}` : `due:${o.userId}:${o.courseId}:${o.dueOn}`;
      const claimed = await w.tx
        .withTables<JobTables>()
        .insertInto("job_marks")
        .values({ job: "training-reminders", mark, created_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      await notifyUsers(w.tx, services.vault, { kind: "training.due", courseId: o.courseId, dueOn: o.dueOn, overdue, at }, [o.userId], at);
      w.record({
        action: "training.reminder",
        targetType: "user",
        targetId: o.userId,
        outcome: "success",
        details: { courseId: o.courseId, dueOn: o.dueOn, overdue },
      });
      sent++;
    }
    if (sent === 0) return { outcome: "skipped", code: "nothing_new", summary: `${obligations.length} training items, all already reminded` };
    return { outcome: "ok", summary: `${sent} training reminders sent` };
  });
}
