/**
 * Training and acknowledgement completion figures (TRN-1, TRN-2) for the KPI pages.
 */
import type { Tx } from "../../platform/db/engine.js";
import { trainingObligations } from "./obligations.js";

export interface TrainingCompletionFigures {
  assigned: number;
  completedOnTime: number;
  overdue: number;
  staffNeedingAck: number;
  staffAcknowledged: number;
}

/**
 * The firm's training and agreement figures as of `at`.
 *
 * - `assigned`: obligations — one per (active user, active course) named by an assignment created
 *   by `at` and not cancelled by then (a role assignment names every active member of the role; a
 *   person named twice counts once, with the earliest due date).
 * - `completedOnTime`: of those, the obligations met by a completion obtained no later than the due
 *   date (end of that day, Asia/Shanghai) and current at the due date — or, when the due date is
 *   still ahead of `at`, current at `at`.
 * - `overdue`: of those, the obligations whose due date has passed with no on-time completion and
 *   no completion current at `at`. (Completed late but current: in neither; not yet due and not
 *   done: in neither.) So completedOnTime + overdue ≤ assigned.
 * - `staffNeedingAck`: active staff users, all of whom must acknowledge the current staff NDA
 *   (the highest published staff_nda version at `at`); 0 when none is published.
 * - `staffAcknowledged`: of those, the users who acknowledged that current version by `at`.
 *
 * Users are counted by their status now (users carry no status history). Reads only; no audit event.
 */
export async function trainingCompletionFigures(tx: Tx, at: Date): Promise<TrainingCompletionFigures> {
  const now = at.toISOString();
  const obligations = await trainingObligations(tx, at);
  const current = await tx
    .selectFrom("agreement_versions")
    .select((eb) => eb.fn.max("version").as("version"))
    .where("kind", "=", "staff_nda")
    .where("published_at", "<=", now)
    .executeTakeFirst();
  const version = current?.version === null || current?.version === undefined ? null : Number(current.version);
  const staff = await tx
    .selectFrom("users")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  let acknowledged = 0;
  if (version !== null) {
    const row = await tx
      .selectFrom("agreement_acknowledgements as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .select((eb) => eb.fn.count<string | number>("a.user_id").distinct().as("n"))
      .where("u.status", "=", "active")
      .where("a.kind", "=", "staff_nda")
      .where("a.version", ">=", version)
      .where("a.acknowledged_at", "<=", now)
      .executeTakeFirstOrThrow();
    acknowledged = Number(row.n);
  }
  return {
    assigned: obligations.length,
    completedOnTime: obligations.filter((o) => o.status === "on_time").length,
    overdue: obligations.filter((o) => o.status === "overdue").length,
    staffNeedingAck: version === null ? 0 : Number(staff.n),
    staffAcknowledged: acknowledged,
  };
}
