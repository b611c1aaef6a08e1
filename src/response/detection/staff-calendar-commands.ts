/**
 * Reading, setting and removing a staff member's working calendar (issue #6). User administration
 * (`user.manage`) or compliance (`alert.manage`) set it; the user may read their own. Every read,
 * change and refusal is audited; the details hold the time zone and counts, never the leave dates
 * (a staff member's absences are their own business, even if not client data).
 *
 * After a change this process's detector forgets its cached calendars at once; other servers pick
 * the change up when their cache expires (at most the detector's cache period, 5 s by default).
 */
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { authorizeStaffCalendar } from "../../access/policy/policy.js";
import type { UserRef } from "../../access/conditions/access-condition-commands.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { checkCalendar, type CalendarException, type StaffCalendar, type StaffCalendarInput, type WorkingSpan } from "./staff-calendar.js";
import { deleteCalendar, readCalendar, saveCalendar } from "./staff-calendar-store.js";

/** A user's calendar, or null: then the off-hours rule's firm-wide hours apply. */
export interface StaffCalendarView {
  userId: string;
  calendar: { timeZone: string; hours: WorkingSpan[]; exceptions: CalendarException[]; updatedAt: string; updatedBy: string } | null;
}

const findUser = (tx: Tx, ref: UserRef) => {
  const q = tx.selectFrom("users").select("id");
  return ("id" in ref ? q.where("id", "=", ref.id) : q.where("email", "=", ref.email.trim().toLowerCase())).executeTakeFirst();
};

const refId = (ref: UserRef) => ("id" in ref ? ref.id : null);
const view = (userId: string, c: StaffCalendar | null): StaffCalendarView => ({
  userId,
  calendar: c ? { timeZone: c.timeZone, hours: [...c.hours], exceptions: [...c.exceptions], updatedAt: c.updatedAt, updatedBy: c.updatedBy } : null,
});
const summary = (c: StaffCalendarInput) => ({
  timeZone: c.timeZone,
  spans: c.hours.length,
  leaveDays: c.exceptions.filter((e) => e.kind === "leave").length,
  workDays: c.exceptions.filter((e) => e.kind === "work").length,
});

export async function readStaffCalendar(services: Services, actor: Actor, requestId: string, ref: UserRef): Promise<StaffCalendarView> {
  const ctx: RequestContext = { actor, requestId, purpose: null };
  return runAudited(services, ctx, async (w) => {
    const event = { action: "user.calendar_read", targetType: "user", targetId: refId(ref) };
    // An id is known before any lookup: a refusal says nothing about whether the user exists.
    const decision = authorizeStaffCalendar(actor, "read", refId(ref) ?? "");
    if (decision.effect === "deny") return w.deny(decision, event);
    const user = await findUser(w.tx, ref);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const calendar = await readCalendar(w.tx, user.id);
    w.record({ ...event, targetId: user.id, outcome: "success", details: { calendar: calendar ? "staff" : "firm" } });
    return view(user.id, calendar);
  });
}

export async function setStaffCalendar(
  services: Services,
  actor: Actor,
  requestId: string,
  ref: UserRef,
  input: StaffCalendarInput,
): Promise<StaffCalendarView> {
  const result = await runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.calendar_set", targetType: "user", targetId: refId(ref) };
    const decision = authorizeStaffCalendar(actor, "write", refId(ref) ?? "");
    if (decision.effect === "deny") return w.deny(decision, event);
    const checked = checkCalendar(input);
    if (!checked.ok)
      return w.refuse(ValidationError(checked.issues), { ...event, details: { fields: checked.issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const user = await findUser(w.tx, ref);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const now = new Date().toISOString();
    await saveCalendar(w.tx, user.id, checked.calendar, actor.userId, now);
    w.record({ ...event, targetId: user.id, outcome: "success", details: summary(checked.calendar) });
    return view(user.id, { userId: user.id, ...checked.calendar, updatedAt: now, updatedBy: actor.userId });
  });
  services.detector.invalidate();
  return result;
}

/** Removes a user's calendar: the firm-wide hours apply to them again. */
export async function clearStaffCalendar(services: Services, actor: Actor, requestId: string, ref: UserRef): Promise<StaffCalendarView> {
  const result = await runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.calendar_clear", targetType: "user", targetId: refId(ref) };
    const decision = authorizeStaffCalendar(actor, "write", refId(ref) ?? "");
    if (decision.effect === "deny") return w.deny(decision, event);
    const user = await findUser(w.tx, ref);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const removed = await deleteCalendar(w.tx, user.id);
    w.record({ ...event, targetId: user.id, outcome: "success", details: { removed } });
    return view(user.id, null);
  });
  services.detector.invalidate();
  return result;
}
