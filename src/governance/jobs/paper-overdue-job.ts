/**
 * Overdue paper files (PAP-2): a check-out past its due day (the firm's calendar) is told to every
 * active archive keeper (records clerk), once per loan (claimed in job_marks, so several servers
 * and manual runs never send one twice). The notice carries the label code, ids and the due day.
 */
import type { Actor } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { overdueCheckouts } from "../../records/paper/paper-checkouts.js";
import { firmDay } from "../../records/paper/paper.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import { type JobContext, type JobResult, jobRequestId } from "./job.js";
import type { JobTables } from "./tables.js";

/** The scheduler acting as the archive keeper: it reads the loans, nothing else. */
const JOB_ARCHIVE: Actor = Object.freeze({ userId: "system:scheduler", role: "records-clerk" });

export async function runPaperOverdue(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services } = ctx;
  const at = now.toISOString();
  return runAudited<JobResult>(services, { actor: JOB_ARCHIVE, requestId: jobRequestId("paper-overdue", now), purpose: null }, async (w) => {
    const overdue = await overdueCheckouts(w.tx, firmDay(now, ctx.settings.timeZone));
    const keepers = (
      await w.tx.selectFrom("users").select("id").where("role", "=", "records-clerk").where("status", "=", "active").orderBy("id").execute()
    ).map((u) => u.id);
    let sent = 0;
    for (const loan of overdue) {
      const claimed = await w.tx
        .withTables<JobTables>()
        .insertInto("job_marks")
        .values({ job: "paper-overdue", mark: `overdue:${loan.id}`, created_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1) continue;
      await notifyUsers(
        w.tx,
        services.vault,
        { kind: "paper.overdue", checkoutId: loan.id, fileId: loan.file_id, fileCode: loan.code, dueOn: loan.due_on, at },
        keepers,
        at,
      );
      w.record({
        action: "paper.overdue_notice",
        targetType: "paper_checkout",
        targetId: loan.id,
        outcome: "success",
        details: { fileId: loan.file_id, borrowerId: loan.borrower_id, dueOn: loan.due_on, notified: keepers.length },
      });
      sent++;
    }
    if (sent === 0) return { outcome: "skipped", code: "nothing_new", summary: `${overdue.length} overdue paper files, all already notified` };
    return { outcome: "ok", summary: `${sent} overdue paper files told to ${keepers.length} archive keepers` };
  });
}
