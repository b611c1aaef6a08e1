/**
 * Partner reminders (VEN-1, VEN-2): contracts that expire within 30 days, re-assessments that are
 * overdue and active partners never assessed are told to every active compliance officer, once per
 * item (claimed in job_marks, so several servers and manual runs never send one twice). The notice
 * carries ids and dates only.
 */
import { runAudited } from "../../platform/audit/audited.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { type PartnerAttention, partnersNeedingAttention } from "../partners/partner-attention.js";
import { JOB_COMPLIANCE, type JobContext, type JobResult, jobRequestId } from "./job.js";
import type { JobTables } from "./tables.js";

/** One reminder per contract expiry, per overdue assessment, and per week for a partner never assessed. */
const markOf = (a: PartnerAttention, today: string): string => {
  if (a.kind === "contract_expiring") return `${a.kind}:${a.contractId}:${a.expiresOn}`;
  if (a.kind === "reassessment_overdue") return `${a.kind}:${a.assessmentId}`;
  return `${a.kind}:${a.partnerId}:${Math.floor(Date.parse(`${today}T00:00:00Z`) / (7 * 86_400_000))}`;
};

export async function runPartnerAttention(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services } = ctx;
  const at = now.toISOString();
  return runAudited<JobResult>(services, { actor: JOB_COMPLIANCE, requestId: jobRequestId("partner-reminders", now), purpose: null }, async (w) => {
    const items = await partnersNeedingAttention(w.tx, now);
    const compliance = (
      await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").orderBy("id").execute()
    ).map((u) => u.id);
    let sent = 0;
    for (const item of items) {
      const claimed = await w.tx
        .withTables<JobTables>()
        .insertInto("job_marks")
        .values({ job: "partner-reminders", mark: markOf(item, at.slice(0, 10)), created_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      const dueOn = item.kind === "contract_expiring" ? item.expiresOn : item.kind === "reassessment_overdue" ? item.dueOn : null;
      await notifyUsers(w.tx, services.vault, { kind: "partner.attention", partnerId: item.partnerId, reason: item.kind, dueOn, at }, compliance, at);
      w.record({ action: "partner.reminder", targetType: "partner", targetId: item.partnerId, outcome: "success", details: { reason: item.kind, dueOn } });
      sent++;
    }
    if (sent === 0) return { outcome: "skipped", code: "nothing_new", summary: `${items.length} partner items, all already reminded` };
    return { outcome: "ok", summary: `${sent} partner reminders sent to ${compliance.length} compliance officers` };
  });
}
