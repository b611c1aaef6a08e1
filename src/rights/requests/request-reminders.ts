/**
 * Reminders for client requests (DSR-3): when an open request enters its regime's reminder window,
 * its owner — or every active compliance officer when nobody owns it — is notified once; when it
 * passes its deadline, once more with an overdue notice. Run by `custodia serve` every minute and by
 * `custodia requests remind` from cron.
 *
 * "Once" is per deadline: the deadline a notice went out for is stored on the request, and a
 * conditional update claims it, so several servers and a cron job never send it twice. An extension
 * or a re-assignment gives the request a new deadline, which is reminded of again.
 */
import type { Actor } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import type { Services } from "../../platform/services.js";
import { deadlineFlags, localDate } from "./deadlines.js";
import { CLOSED } from "./request.js";
import { firmTimeZone } from "./request-store.js";

/** The server acts for itself; its events name the scheduler, never a person. */
export const REMINDER_ACTOR: Actor = Object.freeze({ userId: "system:reminders", role: "compliance" });

export interface ReminderReport {
  today: string;
  reminders: number;
  overdue: number;
  /** Users notified, summed over both kinds. */
  notified: number;
}

export async function remindRequests(services: Services, now: Date, requestId = `reminders-${now.getTime()}`): Promise<ReminderReport> {
  return runAudited(services, { actor: REMINDER_ACTOR, requestId, purpose: null }, async (w) => {
    const at = now.toISOString();
    const today = localDate(now, await firmTimeZone(w.tx));
    const reminderDays = new Map((await w.tx.selectFrom("request_regimes").select(["code", "reminder_days"]).execute()).map((r) => [r.code, r.reminder_days]));
    const open = await w.tx
      .selectFrom("client_requests")
      .select(["id", "type", "status", "regime", "owner_id", "due_date", "extended_due_date", "reminded_for", "overdue_noticed_for"])
      .where("status", "not in", [...CLOSED])
      .execute();
    let compliance: string[] | null = null;
    const recipients = async (ownerId: string | null): Promise<string[]> => {
      if (ownerId) {
        const owner = await w.tx.selectFrom("users").select("id").where("id", "=", ownerId).where("status", "=", "active").executeTakeFirst();
        if (owner) return [owner.id];
      }
      compliance ??= (await w.tx.selectFrom("users").select("id").where("role", "=", "compliance").where("status", "=", "active").orderBy("id").execute()).map(
        (u) => u.id,
      );
      return compliance;
    };
    const report: ReminderReport = { today, reminders: 0, overdue: 0, notified: 0 };
    for (const r of open) {
      const due = r.extended_due_date ?? r.due_date;
      const flags = deadlineFlags(due, today, reminderDays.get(r.regime) ?? 3, false);
      // A request first seen past its deadline gets the overdue notice only.
      const kind = flags.overdue ? "request.overdue" : flags.reminder ? "request.reminder" : null;
      if (!kind) continue;
      const column = kind === "request.overdue" ? "overdue_noticed_for" : "reminded_for";
      if (r[column] === due) continue;
      // Claimed by a conditional update: a concurrent run (another server, cron) finds it taken.
      const claimed = await w.tx
        .updateTable("client_requests")
        .set({ [column]: due })
        .where("id", "=", r.id)
        .where((eb) => eb.or([eb(column, "is", null), eb(column, "!=", due)]))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const users = await recipients(r.owner_id);
      const notified = await notifyUsers(w.tx, services.vault, { kind, requestId: r.id, requestType: r.type, status: r.status, dueDate: due, at }, users, at);
      report[kind === "request.overdue" ? "overdue" : "reminders"]++;
      report.notified += notified;
      w.record({
        action: kind === "request.overdue" ? "request.overdue_notice" : "request.reminder",
        targetType: "client_request",
        targetId: r.id,
        purpose: null,
        outcome: "success",
        details: { dueDate: due, recipients: users, owner: r.owner_id !== null && users.length === 1 && users[0] === r.owner_id },
      });
    }
    return report;
  });
}
