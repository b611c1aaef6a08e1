/**
 * Retention schedules (RET-1): how long each record class is kept after its trigger. Schedules are
 * data (migration 0008 seeds editable defaults, `isDefault: true`); compliance lists and changes them.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbRetentionSchedule } from "../../platform/db/schema.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";

export const RECORD_CLASSES = ["client_file", "matter_file", "billing_record", "unengaged_client", "audit_log"] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];
export const RETENTION_TRIGGERS = ["matter_closed", "relationship_ended", "last_activity"] as const;
export type RetentionTrigger = (typeof RETENTION_TRIGGERS)[number];
export const PERIOD_UNITS = ["years", "months", "days"] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface RetentionSchedule {
  recordClass: RecordClass;
  trigger: RetentionTrigger;
  periodUnit: PeriodUnit;
  periodAmount: number;
  /** A seeded default nobody has confirmed yet. */
  isDefault: boolean;
  updatedAt: string;
  updatedBy: string | null;
}

export const presentSchedule = (r: DbRetentionSchedule): RetentionSchedule => ({
  recordClass: r.record_class as RecordClass,
  trigger: r.trigger as RetentionTrigger,
  periodUnit: r.period_unit as PeriodUnit,
  periodAmount: Number(r.period_amount),
  isDefault: Number(r.is_default) === 1,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** `from` plus the period, in UTC; a month lacking the day ends on its last day (Feb 29 + 1 year = Feb 28). */
export function addPeriod(from: string, unit: PeriodUnit, amount: number): string {
  const d = new Date(from);
  if (unit === "days") return new Date(d.getTime() + amount * 86_400_000).toISOString();
  const months = unit === "years" ? amount * 12 : amount;
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const out = new Date(d);
  out.setUTCFullYear(year, month, Math.min(d.getUTCDate(), lastDay));
  return out.toISOString();
}

export const loadSchedules = async (tx: Tx): Promise<Map<RecordClass, RetentionSchedule>> =>
  new Map((await tx.selectFrom("retention_schedules").selectAll().execute()).map((r) => [r.record_class as RecordClass, presentSchedule(r)]));

export async function listSchedules(services: Services, ctx: RequestContext): Promise<RetentionSchedule[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.schedule_list", targetType: "retention_schedule", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx.selectFrom("retention_schedules").selectAll().orderBy("record_class").execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map(presentSchedule);
  });
}

export interface ScheduleUpdate {
  trigger: RetentionTrigger;
  periodUnit: PeriodUnit;
  periodAmount: number;
}

export async function updateSchedule(services: Services, ctx: RequestContext, recordClass: RecordClass, update: ScheduleUpdate): Promise<RetentionSchedule> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "retention.schedule_update", targetType: "retention_schedule", targetId: recordClass, purpose: null };
    const decision = authorize(ctx.actor, "retention.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("retention_schedules").selectAll().where("record_class", "=", recordClass).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Retention schedule"), event, "failure");
    const now = new Date().toISOString();
    const next: DbRetentionSchedule = {
      ...row,
      trigger: update.trigger,
      period_unit: update.periodUnit,
      period_amount: update.periodAmount,
      is_default: 0,
      updated_at: now,
      updated_by: ctx.actor.userId,
    };
    await w.tx.updateTable("retention_schedules").set(next).where("record_class", "=", recordClass).execute();
    w.record({
      ...event,
      outcome: "success",
      details: { from: `${row.trigger}+${row.period_amount}${row.period_unit}`, to: `${update.trigger}+${update.periodAmount}${update.periodUnit}` },
    });
    return presentSchedule(next);
  });
}
