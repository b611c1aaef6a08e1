/**
 * Completing a course (TRN-1): by passing its quiz (one's own attempt, graded here; a failed
 * attempt is kept but completes nothing), or recorded by compliance for an in-person session —
 * never for oneself. A completion counts until completed_at + the course's validity.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeAccessConditionRecord } from "../../access/policy/policy.js";
import { type AuditedWork, runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { courseRow, questionsOf } from "./courses.js";
import { dueEnd } from "./obligations.js";
import { addMonths, type Grade, gradeAnswers } from "./quiz.js";
import { activeUser } from "./training-guard.js";
import type { AnswersInput, CompletionRecordInput } from "./training-inputs.js";

export interface PresentedCompletion {
  id: string;
  courseId: string;
  userId: string;
  source: "quiz" | "recorded";
  completedAt: string;
  expiresAt: string;
}

export interface AttemptResult extends Grade {
  attemptId: string;
  passMark: number;
  completion: PresentedCompletion | null;
}

/** One's own quiz attempt. Everyone may take an active course; the grade decides, on the server. */
export async function submitAttempt(services: Services, ctx: RequestContext, courseId: string, input: AnswersInput, now = new Date()): Promise<AttemptResult> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.attempt", targetType: "training_course", targetId: courseId };
    const course = await courseRow(w.tx, courseId);
    if (course?.status !== "active") return w.refuse(NotFoundError("Course"), event, "failure");
    const questions = await questionsOf(w.tx, courseId);
    const known = new Set(questions.map((q) => q.id));
    const stray = Object.keys(input.answers).filter((k) => !known.has(k));
    if (stray.length)
      return w.refuse(
        ValidationError([{ field: "answers", code: "unknown_question", message: "An answer names a question not in this quiz." }]),
        event,
        "failure",
      );
    const grade = gradeAnswers(questions, input.answers, Number(course.pass_mark));
    const attemptId = uuidv7();
    const at = now.toISOString();
    await w.tx
      .insertInto("training_attempts")
      .values({
        id: attemptId,
        course_id: courseId,
        user_id: ctx.actor.userId,
        answers: JSON.stringify(input.answers),
        score: grade.score,
        passed: grade.passed ? 1 : 0,
        submitted_at: at,
      })
      .execute();
    let completion: PresentedCompletion | null = null;
    if (grade.passed) {
      completion = await insertCompletion(w.tx, {
        courseId,
        userId: ctx.actor.userId,
        source: "quiz",
        attemptId,
        completedAt: at,
        expiresAt: addMonths(now, Number(course.validity_months)).toISOString(),
        recordedBy: ctx.actor.userId,
        recordedAt: at,
      });
    }
    w.record({ ...event, outcome: "success", details: { attemptId, score: grade.score, passed: grade.passed, completionId: completion?.id ?? null } });
    return { attemptId, passMark: Number(course.pass_mark), ...grade, completion };
  });
}

async function insertCompletion(
  tx: Tx,
  c: {
    courseId: string;
    userId: string;
    source: "quiz" | "recorded";
    attemptId: string | null;
    completedAt: string;
    expiresAt: string;
    recordedBy: string;
    recordedAt: string;
  },
): Promise<PresentedCompletion> {
  const id = uuidv7();
  await tx
    .insertInto("training_completions")
    .values({
      id,
      course_id: c.courseId,
      user_id: c.userId,
      source: c.source,
      attempt_id: c.attemptId,
      completed_at: c.completedAt,
      expires_at: c.expiresAt,
      recorded_by: c.recordedBy,
      recorded_at: c.recordedAt,
    })
    .execute();
  return { id, courseId: c.courseId, userId: c.userId, source: c.source, completedAt: c.completedAt, expiresAt: c.expiresAt };
}

/**
 * Within a unit of work: compliance records that `userId` completed the course(s) in person. The
 * caller has authorized; dates are checked here. `expiresOn` defaults to completion + validity.
 */
export async function recordCompletionsIn(
  w: AuditedWork,
  ctx: RequestContext,
  courseIds: readonly string[],
  userId: string,
  input: { completedAt: string; expiresAt?: string | undefined },
  now: Date,
): Promise<PresentedCompletion[]> {
  const out: PresentedCompletion[] = [];
  for (const courseId of courseIds) {
    const course = (await courseRow(w.tx, courseId))!;
    out.push(
      await insertCompletion(w.tx, {
        courseId,
        userId,
        source: "recorded",
        attemptId: null,
        completedAt: input.completedAt,
        expiresAt: input.expiresAt ?? addMonths(new Date(input.completedAt), Number(course.validity_months)).toISOString(),
        recordedBy: ctx.actor.userId,
        recordedAt: now.toISOString(),
      }),
    );
  }
  return out;
}

/** Compliance records an in-person session's completion for someone else (`training.manage`). */
export async function recordCompletion(
  services: Services,
  ctx: RequestContext,
  courseId: string,
  input: CompletionRecordInput,
  now = new Date(),
): Promise<PresentedCompletion> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.completion.record", targetType: "user", targetId: input.userId };
    const decision = authorizeAccessConditionRecord(ctx.actor, input.userId, "training");
    if (decision.effect === "deny") return w.deny(decision, event);
    const course = await courseRow(w.tx, courseId);
    if (course?.status !== "active") return w.refuse(NotFoundError("Course"), event, "failure");
    if (!(await activeUser(w.tx, input.userId))) return w.refuse(NotFoundError("User"), event, "failure");
    const completedAt = input.completedOn ? new Date(`${input.completedOn}T00:00:00.000+08:00`).toISOString() : now.toISOString();
    const expiresAt = input.expiresOn ? dueEnd(input.expiresOn) : undefined;
    const issues = [];
    if (completedAt > now.toISOString()) issues.push({ field: "completedOn", code: "in_future", message: "The day lies in the future." });
    if (expiresAt !== undefined && expiresAt <= completedAt)
      issues.push({ field: "expiresOn", code: "before_completion", message: "Must be after the completion." });
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const [completion] = await recordCompletionsIn(w, ctx, [courseId], input.userId, { completedAt, expiresAt }, now);
    w.record({ ...event, outcome: "success", details: { courseId, completionId: completion!.id, expiresAt: completion!.expiresAt } });
    return completion!;
  });
}

/** Active courses flagged required for sensitive data. */
export const requiredCourseIds = async (tx: Tx): Promise<string[]> =>
  (await tx.selectFrom("training_courses").select("id").where("required_for_sensitive", "=", 1).where("status", "=", "active").orderBy("id").execute()).map(
    (r) => r.id,
  );
