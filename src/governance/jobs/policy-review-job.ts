/**
 * Policy reviews (GOV-2): internal policies whose periodic review falls due within 30 days, or is
 * overdue, are told to every active compliance officer and to the policy's owner, once per policy
 * and due date (claimed in job_marks, so several servers and manual runs never send one twice). The
 * notice carries the policy's id and the date only.
 */
import { runAudited } from "../../platform/audit/audited.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { policiesDueForReview } from "../policies/policy-register.js";
import { JOB_COMPLIANCE, type JobContext, type JobResult, jobRequestId } from "./job.js";
import type { JobTables } from "./tables.js";

export async function runPolicyReviewReminder(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services } = ctx;
  const at = now.toISOString();
  return runAudited<JobResult>(services, { actor: JOB_COMPLIANCE, requestId: jobRequestId("policy-reviews", now), purpose: null }, async (w) => {
    const due = await policiesDueForReview(w.tx, now);
    const compliance = (
      await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").orderBy("id").execute()
    ).map((u) => u.id);
    let sent = 0;
    for (const item of due) {
      // Once before the date and once more when it has passed.
      const mark = `${item.policyId}:${item.nextReviewOn}:${item.overdue ? "overdue" : "due"}`;
      const claimed = await w.tx
        .withTables<JobTables>()
        .insertInto("job_marks")
        .values({ job: "policy-reviews", mark, created_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      const owner = await w.tx.selectFrom("policies").select("owner_id").where("id", "=", item.policyId).executeTakeFirst();
      await notifyUsers(
        w.tx,
        services.vault,
        { kind: "policy.review_due", policyId: item.policyId, dueOn: item.nextReviewOn, overdue: item.overdue, at },
        [...compliance, ...(owner ? [owner.owner_id] : [])],
        at,
      );
      w.record({
        action: "policy.reminder",
        targetType: "policy",
        targetId: item.policyId,
        outcome: "success",
        details: { dueOn: item.nextReviewOn, overdue: item.overdue },
      });
      sent++;
    }
    if (sent === 0) return { outcome: "skipped", code: "nothing_new", summary: `${due.length} policies due for review, all already reminded` };
    return { outcome: "ok", summary: `${sent} policy review reminders sent` };
  });
}
