/**
 * Who must complete which course by when (TRN-1): every open assignment of an active course,
 * expanded to the active users it names (a role's members, or one person), one obligation per
 * (user, course) with the earliest due date among the assignments naming them. Used by the overdue
 * list, the reminder job and the completion figures; none of this is on the hot read path.
 */
import type { Tx } from "../../platform/db/engine.js";

/** Due dates are days in the firm's time zone (Asia/Shanghai, UTC+8 all year): valid through that day. */
export const dueEnd = (dueOn: string): string => new Date(Date.parse(`${dueOn}T00:00:00.000+08:00`) + 86_400_000).toISOString();
/** The firm's calendar day of an instant (Asia/Shanghai). */
export const firmDay = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * - `on_time`: a completion obtained no later than the due date and current then (or, if the due
 *   date is still ahead, current now);
 * - `late`: none on time, but one current now;
 * - `pending`: the due date is still ahead and there is no current completion;
 * - `overdue`: the due date has passed, none on time, none current now.
 */
export type ObligationStatus = "on_time" | "late" | "pending" | "overdue";

export interface Obligation {
  userId: string;
  courseId: string;
  dueOn: string;
  status: ObligationStatus;
  /** The latest completion's expiry, if any. */
  expiresAt: string | null;
}

export async function trainingObligations(tx: Tx, at: Date, filter: { userId?: string } = {}): Promise<Obligation[]> {
  const now = at.toISOString();
  let assignments = tx
    .selectFrom("training_assignments as a")
    .innerJoin("training_courses as c", "c.id", "a.course_id")
    .select(["a.course_id", "a.target_kind", "a.target_role", "a.target_user_id", "a.due_on"])
    .where("c.status", "=", "active")
    .where("a.created_at", "<=", now)
    .where((eb) => eb.or([eb("a.cancelled_at", "is", null), eb("a.cancelled_at", ">", now)]));
  if (filter.userId) {
    const role = tx.selectFrom("users").select("role").where("id", "=", filter.userId);
    assignments = assignments.where((eb) =>
      eb.or([eb("a.target_user_id", "=", filter.userId!), eb.and([eb("a.target_kind", "=", "role"), eb("a.target_role", "=", role)])]),
    );
  }
  const rows = await assignments.execute();
  if (rows.length === 0) return [];
  let usersQuery = tx.selectFrom("users").select(["id", "role"]).where("status", "=", "active");
  if (filter.userId) usersQuery = usersQuery.where("id", "=", filter.userId);
  const users = await usersQuery.execute();
  const byRole = new Map<string, string[]>();
  for (const u of users) byRole.set(u.role, [...(byRole.get(u.role) ?? []), u.id]);
  const active = new Set(users.map((u) => u.id));
  const due = new Map<string, { userId: string; courseId: string; dueOn: string }>();
  for (const a of rows) {
    const targets =
      a.target_kind === "role" ? (byRole.get(a.target_role ?? "") ?? []) : a.target_user_id && active.has(a.target_user_id) ? [a.target_user_id] : [];
    for (const userId of targets) {
      const key = `${userId}|${a.course_id}`;
      const seen = due.get(key);
      if (!seen || a.due_on < seen.dueOn) due.set(key, { userId, courseId: a.course_id, dueOn: a.due_on });
    }
  }
  if (due.size === 0) return [];
  const courseIds = [...new Set([...due.values()].map((d) => d.courseId))];
  let completionsQuery = tx
    .selectFrom("training_completions")
    .select(["user_id", "course_id", "completed_at", "expires_at"])
    .where("course_id", "in", courseIds)
    .where("completed_at", "<=", now);
  if (filter.userId) completionsQuery = completionsQuery.where("user_id", "=", filter.userId);
  const completions = await completionsQuery.execute();
  const held = new Map<string, { completed_at: string; expires_at: string }[]>();
  for (const c of completions) {
    const key = `${c.user_id}|${c.course_id}`;
    held.set(key, [...(held.get(key) ?? []), c]);
  }
  return [...due.entries()].map(([key, d]) => {
    const end = dueEnd(d.dueOn);
    const mine = held.get(key) ?? [];
    // ISO instants compare as strings: the earlier of the due end and now.
    const checkAt = [end, now].sort()[0]!;
    const onTime = mine.some((c) => c.completed_at < end && c.expires_at > checkAt);
    const currentNow = mine.some((c) => c.expires_at > now);
    const status: ObligationStatus = onTime ? "on_time" : currentNow ? "late" : end <= now ? "overdue" : "pending";
    const expiresAt = mine.reduce<string | null>((m, c) => (m === null || c.expires_at > m ? c.expires_at : m), null);
    return { ...d, status, expiresAt };
  });
}
