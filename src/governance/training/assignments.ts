/**
 * Assignments (TRN-1): compliance names a role or a person and a due date for a course; the overdue
 * list and "my training" read them through trainingObligations.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeOwnTraining } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { courseRow } from "./courses.js";
import { firmDay, type Obligation, type ObligationStatus, trainingObligations } from "./obligations.js";
import { activeUser, refusedUnless } from "./training-guard.js";
import type { AssignmentInput } from "./training-inputs.js";

export interface PresentedAssignment {
  id: string;
  courseId: string;
  role: string | null;
  userId: string | null;
  dueOn: string;
  assignedBy: string;
  createdAt: string;
  cancelledAt: string | null;
}

export async function assignCourse(
  services: Services,
  ctx: RequestContext,
  courseId: string,
  input: AssignmentInput,
  now = new Date(),
): Promise<PresentedAssignment> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.assign", targetType: "training_course", targetId: courseId };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const course = await courseRow(w.tx, courseId);
    if (course?.status !== "active") return w.refuse(NotFoundError("Course"), event, "failure");
    if (input.userId && !(await activeUser(w.tx, input.userId))) return w.refuse(NotFoundError("User"), event, "failure");
    const row = {
      id: uuidv7(),
      course_id: courseId,
      target_kind: input.role ? "role" : "user",
      target_role: input.role ?? null,
      target_user_id: input.userId ?? null,
      due_on: input.dueOn,
      assigned_by: ctx.actor.userId,
      created_at: now.toISOString(),
      cancelled_at: null,
    };
    await w.tx.insertInto("training_assignments").values(row).execute();
    w.record({ ...event, outcome: "success", details: { assignmentId: row.id, role: row.target_role, userId: row.target_user_id, dueOn: row.due_on } });
    return {
      id: row.id,
      courseId,
      role: row.target_role,
      userId: row.target_user_id,
      dueOn: row.due_on,
      assignedBy: row.assigned_by,
      createdAt: row.created_at,
      cancelledAt: null,
    };
  });
}

export async function cancelAssignment(
  services: Services,
  ctx: RequestContext,
  assignmentId: string,
  now = new Date(),
): Promise<{ id: string; cancelledAt: string }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.assignment.cancel", targetType: "training_assignment", targetId: assignmentId };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("training_assignments").select(["cancelled_at"]).where("id", "=", assignmentId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Assignment"), event, "failure");
    if (row.cancelled_at) return w.refuse(ConflictError("assignment_cancelled", "The assignment is already cancelled."), event, "failure");
    const at = now.toISOString();
    await w.tx.updateTable("training_assignments").set({ cancelled_at: at }).where("id", "=", assignmentId).execute();
    w.record({ ...event, outcome: "success" });
    return { id: assignmentId, cancelledAt: at };
  });
}

export async function listAssignments(services: Services, ctx: RequestContext): Promise<{ items: PresentedAssignment[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.assignment.list", targetType: "training_assignment", targetId: null };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const rows = await w.tx.selectFrom("training_assignments").selectAll().where("cancelled_at", "is", null).orderBy("due_on").orderBy("id").execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return {
      items: rows.map((r) => ({
        id: r.id,
        courseId: r.course_id,
        role: r.target_role,
        userId: r.target_user_id,
        dueOn: r.due_on,
        assignedBy: r.assigned_by,
        createdAt: r.created_at,
        cancelledAt: r.cancelled_at,
      })),
    };
  });
}

/** Every overdue obligation (who, which course, due when), for compliance. Ids only; the console names them. */
export async function overdueTraining(services: Services, ctx: RequestContext, now = new Date()): Promise<{ items: Obligation[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.overdue.list", targetType: "training_assignment", targetId: null };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const items = (await trainingObligations(w.tx, now)).filter((o) => o.status === "overdue").sort((a, b) => a.dueOn.localeCompare(b.dueOn));
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

export interface MyCourse {
  courseId: string;
  titleZh: string;
  titleEn: string;
  requiredForSensitive: boolean;
  passMark: number;
  validityMonths: number;
  dueOn: string | null;
  /** From the assignment, or `unassigned` when nobody assigned it (a required course may still be taken). */
  status: ObligationStatus | "unassigned";
  completedAt: string | null;
  expiresAt: string | null;
  current: boolean;
  lastAttempt: { score: number; passed: boolean; submittedAt: string } | null;
}

/** A person's courses: the active ones assigned to them or required for sensitive data (their own, or anyone's for compliance). */
export async function trainingOf(services: Services, ctx: RequestContext, userId: string, now = new Date()): Promise<{ today: string; items: MyCourse[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.mine", targetType: "user", targetId: userId };
    const decision = authorizeOwnTraining(ctx.actor, userId);
    if (decision.effect === "deny") return w.deny(decision, event);
    const at = now.toISOString();
    const obligations = new Map((await trainingObligations(w.tx, now, { userId })).map((o) => [o.courseId, o]));
    const courses = await w.tx.selectFrom("training_courses").selectAll().where("status", "=", "active").orderBy("created_at").execute();
    const completions = await w.tx
      .selectFrom("training_completions")
      .select(["course_id", "completed_at", "expires_at"])
      .where("user_id", "=", userId)
      .where("completed_at", "<=", at)
      .orderBy("expires_at", "desc")
      .execute();
    const attempts = await w.tx
      .selectFrom("training_attempts")
      .select(["course_id", "score", "passed", "submitted_at"])
      .where("user_id", "=", userId)
      .orderBy("submitted_at", "desc")
      .execute();
    const items = courses
      .filter((c) => obligations.has(c.id) || Number(c.required_for_sensitive) === 1)
      .map((c): MyCourse => {
        const o = obligations.get(c.id);
        const done = completions.find((x) => x.course_id === c.id);
        const last = attempts.find((x) => x.course_id === c.id);
        return {
          courseId: c.id,
          titleZh: c.title_zh,
          titleEn: c.title_en,
          requiredForSensitive: Number(c.required_for_sensitive) === 1,
          passMark: Number(c.pass_mark),
          validityMonths: Number(c.validity_months),
          dueOn: o?.dueOn ?? null,
          status: o?.status ?? "unassigned",
          completedAt: done?.completed_at ?? null,
          expiresAt: done?.expires_at ?? null,
          current: done !== undefined && done.expires_at > at,
          lastAttempt: last ? { score: Number(last.score), passed: Number(last.passed) === 1, submittedAt: last.submitted_at } : null,
        };
      });
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { today: firmDay(now), items };
  });
}
