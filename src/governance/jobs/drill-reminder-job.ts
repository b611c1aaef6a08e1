/**
 * The drill reminder (INC drills): when no incident drill was held within the firm's interval,
 * every active compliance officer is told, once per due period (claimed in job_marks, so several
 * servers and manual runs never send it twice). The notice carries dates only.
 */
import { runAudited } from "../../platform/audit/audited.js";
import { addCalendarDays, localDate } from "../../rights/requests/deadlines.js";
import { notifyDrillDue } from "./drill-notice.js";
import type { JobTables } from "./tables.js";
import { JOB_COMPLIANCE, type JobContext, type JobResult, jobRequestId } from "./job.js";

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Which due period `today` is in (null: not due); a new period starts every `interval` days while overdue. */
export function drillDuePeriod(lastHeldOn: string | null, today: string, interval: number): { dueFrom: string | null; mark: string } | null {
  if (lastHeldOn === null) return { dueFrom: null, mark: `never#${Math.floor(dayNumber(today) / interval)}` };
  const dueFrom = addCalendarDays(lastHeldOn, interval);
  if (today < dueFrom) return null;
  return { dueFrom, mark: `${dueFrom}#${Math.floor((dayNumber(today) - dayNumber(dueFrom)) / interval)}` };
}

export async function runDrillReminder(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services, settings } = ctx;
  const today = localDate(now, settings.timeZone);
  const at = now.toISOString();
  return runAudited<JobResult>(services, { actor: JOB_COMPLIANCE, requestId: jobRequestId("drill-reminder", now), purpose: null }, async (w) => {
    const last = await w.tx
      .selectFrom("drills")
      .select((eb) => eb.fn.max("held_on").as("held_on"))
      .executeTakeFirst();
    const lastHeldOn = (last?.held_on as string | null | undefined) ?? null;
    const period = drillDuePeriod(lastHeldOn, today, settings.drillIntervalDays);
    if (!period)
      return { outcome: "skipped", code: "not_due", summary: `last drill held on ${lastHeldOn}; next due within ${settings.drillIntervalDays} days of it` };
    const claimed = await w.tx
      .withTables<JobTables>()
      .insertInto("job_marks")
      .values({ job: "drill-reminder", mark: period.mark, created_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) !== 1)
      return { outcome: "skipped", code: "already_reminded", summary: "compliance was already reminded in this due period" };
    const compliance = (
      await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").orderBy("id").execute()
    ).map((u) => u.id);
    const notified = await notifyDrillDue(
      w.tx,
      services.vault,
      { lastHeldOn, dueFrom: period.dueFrom, intervalDays: settings.drillIntervalDays, at },
      compliance,
    );
    w.record({
      action: "drill.reminder",
      targetType: "drill",
      targetId: null,
      purpose: null,
      outcome: "success",
      details: { lastHeldOn, dueFrom: period.dueFrom, recipients: compliance },
    });
    return { outcome: "ok", summary: `no drill since ${lastHeldOn ?? "ever"}; ${notified} compliance officers notified` };
  });
}
