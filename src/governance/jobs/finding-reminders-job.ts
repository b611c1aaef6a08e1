/**
 * Finding reminders (GOV-3): an assessment or audit finding due within 7 days is told to its
 * owner once per deadline; an overdue one to its owner and every active compliance officer, once a
 * week until it is resolved (claimed in job_marks, so several servers and manual runs never send
 * one twice). The notice carries the finding's id, the reason and the deadline only.
 */
import { UNFINISHED } from "../assessments/assessment.js";
import { firmToday } from "../assessments/findings-view.js";
import { runAudited } from "../../platform/audit/audited.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { JOB_COMPLIANCE, type JobContext, type JobResult, jobRequestId } from "./job.js";
import type { JobTables } from "./tables.js";

/** How many days ahead an owner is reminded of a deadline. */
export const FINDING_DUE_SOON_DAYS = 7;

const plusDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const weekOf = (day: string) => Math.floor(Date.parse(`${day}T00:00:00Z`) / (7 * 86_400_000));

export async function runFindingReminders(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services } = ctx;
  const at = now.toISOString();
  return runAudited<JobResult>(services, { actor: JOB_COMPLIANCE, requestId: jobRequestId("finding-reminders", now), purpose: null }, async (w) => {
    const today = await firmToday(w.tx, now);
    const findings = await w.tx
      .selectFrom("assessment_findings")
      .select(["id", "owner_id", "due_on"])
      .where("status", "in", [...UNFINISHED])
      .where("due_on", "<=", plusDays(today, FINDING_DUE_SOON_DAYS))
      .orderBy("due_on")
      .orderBy("id")
      .execute();
    const compliance = (
      await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").orderBy("id").execute()
    ).map((u) => u.id);
    let sent = 0;
    for (const f of findings) {
      const reason = f.due_on < today ? "overdue" : "due_soon";
      const mark = reason === "overdue" ? `overdue:${f.id}:${weekOf(today)}` : `due_soon:${f.id}:${f.due_on}`;
      const claimed = await w.tx
        .withTables<JobTables>()
        .insertInto("job_marks")
        .values({ job: "finding-reminders", mark, created_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      const to = reason === "overdue" ? [f.owner_id, ...compliance] : [f.owner_id];
      await notifyUsers(w.tx, services.vault, { kind: "finding.attention", findingId: f.id, reason, dueOn: f.due_on, at }, to, at);
      w.record({
        action: "assessment.finding.reminder",
        targetType: "assessment_finding",
        targetId: f.id,
        outcome: "success",
        details: { reason, dueOn: f.due_on },
      });
      sent++;
    }
    if (sent === 0) return { outcome: "skipped", code: "nothing_new", summary: `${findings.length} findings due or overdue, all already reminded` };
    return { outcome: "ok", summary: `${sent} finding reminders sent` };
  });
}
