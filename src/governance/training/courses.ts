/**
 * Training courses and their quizzes (TRN-1). Compliance writes them (`training.manage`); every
 * staff member reads active courses to take them, with the questions but never the correct options.
 * At least one active course stays flagged `required_for_sensitive`: without one the L3+ access
 * condition could not be met by anybody (src/access/conditions/access-conditions.ts).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { DbTrainingCourse } from "./tables.js";
import { refusedUnless } from "./training-guard.js";
import type { CourseInput, CourseUpdateInput, QuestionInput } from "./training-inputs.js";

export interface PresentedCourse {
  id: string;
  titleZh: string;
  titleEn: string;
  contentZh: string;
  contentEn: string;
  documentId: string | null;
  validityMonths: number;
  passMark: number;
  requiredForSensitive: boolean;
  status: "active" | "retired";
  questionCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A question as the person taking the quiz sees it: no correct options. */
export interface QuizQuestion {
  id: string;
  textZh: string;
  textEn: string;
  options: { zh: string; en: string }[];
  /** More than one option is correct (the form shows check boxes). */
  multiple: boolean;
}

export interface EditableQuestion extends QuizQuestion {
  correct: number[];
}

const present = (c: DbTrainingCourse, questionCount: number): PresentedCourse => ({
  id: c.id,
  titleZh: c.title_zh,
  titleEn: c.title_en,
  contentZh: c.content_zh,
  contentEn: c.content_en,
  documentId: c.document_id,
  validityMonths: Number(c.validity_months),
  passMark: Number(c.pass_mark),
  requiredForSensitive: Number(c.required_for_sensitive) === 1,
  status: c.status as PresentedCourse["status"],
  questionCount,
  createdAt: c.created_at,
  updatedAt: c.updated_at,
});

export async function questionsOf(tx: Tx, courseId: string): Promise<EditableQuestion[]> {
  const rows = await tx.selectFrom("training_questions").selectAll().where("course_id", "=", courseId).orderBy("position").execute();
  return rows.map((q) => {
    const correct = JSON.parse(q.correct) as number[];
    return { id: q.id, textZh: q.text_zh, textEn: q.text_en, options: JSON.parse(q.options), multiple: correct.length > 1, correct };
  });
}

export const withoutAnswers = (q: EditableQuestion): QuizQuestion => ({
  id: q.id,
  textZh: q.textZh,
  textEn: q.textEn,
  options: q.options,
  multiple: q.multiple,
});

export async function courseRow(tx: Tx, id: string): Promise<DbTrainingCourse | undefined> {
  return tx.selectFrom("training_courses").selectAll().where("id", "=", id).executeTakeFirst();
}

async function presentIn(tx: Tx, id: string): Promise<PresentedCourse> {
  const row = (await courseRow(tx, id))!;
  const n = await tx
    .selectFrom("training_questions")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("course_id", "=", id)
    .executeTakeFirstOrThrow();
  return present(row, Number(n.n));
}

async function writeQuestions(tx: Tx, courseId: string, questions: readonly QuestionInput[]): Promise<void> {
  await tx.deleteFrom("training_questions").where("course_id", "=", courseId).execute();
  await tx
    .insertInto("training_questions")
    .values(
      questions.map((q, i) => ({
        id: uuidv7(),
        course_id: courseId,
        position: (i + 1) * 10,
        text_zh: q.textZh,
        text_en: q.textEn,
        options: JSON.stringify(q.options),
        correct: JSON.stringify([...q.correct].sort((a, b) => a - b)),
      })),
    )
    .execute();
}

const documentMissing = async (tx: Tx, documentId: string | null | undefined) =>
  Boolean(documentId) && !(await tx.selectFrom("documents").select("id").where("id", "=", documentId!).executeTakeFirst());

export async function createCourse(services: Services, ctx: RequestContext, input: CourseInput, now = new Date()): Promise<PresentedCourse> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.course.create", targetType: "training_course", targetId: null };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    if (await documentMissing(w.tx, input.documentId)) return w.refuse(NotFoundError("Document"), event, "failure");
    const id = uuidv7();
    const at = now.toISOString();
    await w.tx
      .insertInto("training_courses")
      .values({
        id,
        title_zh: input.titleZh,
        title_en: input.titleEn,
        content_zh: input.contentZh,
        content_en: input.contentEn,
        document_id: input.documentId,
        validity_months: input.validityMonths,
        pass_mark: input.passMark,
        required_for_sensitive: input.requiredForSensitive ? 1 : 0,
        status: "active",
        created_by: ctx.actor.userId,
        created_at: at,
        updated_at: at,
      })
      .execute();
    await writeQuestions(w.tx, id, input.questions);
    w.record({ ...event, targetId: id, outcome: "success", details: { requiredForSensitive: input.requiredForSensitive, questions: input.questions.length } });
    return presentIn(w.tx, id);
  });
}

export async function updateCourse(services: Services, ctx: RequestContext, id: string, input: CourseUpdateInput, now = new Date()): Promise<PresentedCourse> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.course.update", targetType: "training_course", targetId: id };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const row = await courseRow(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Course"), event, "failure");
    if (await documentMissing(w.tx, input.documentId)) return w.refuse(NotFoundError("Document"), event, "failure");
    const wasRequired = Number(row.required_for_sensitive) === 1 && row.status === "active";
    const staysRequired = (input.requiredForSensitive ?? Number(row.required_for_sensitive) === 1) && (input.status ?? row.status) === "active";
    if (wasRequired && !staysRequired) {
      const others = await w.tx
        .selectFrom("training_courses")
        .select("id")
        .where("required_for_sensitive", "=", 1)
        .where("status", "=", "active")
        .where("id", "!=", id)
        .executeTakeFirst();
      if (!others)
        return w.refuse(ConflictError("last_required_course", "At least one active course must stay required for sensitive data."), event, "failure");
    }
    await w.tx
      .updateTable("training_courses")
      .set({
        ...(input.titleZh !== undefined && { title_zh: input.titleZh }),
        ...(input.titleEn !== undefined && { title_en: input.titleEn }),
        ...(input.contentZh !== undefined && { content_zh: input.contentZh }),
        ...(input.contentEn !== undefined && { content_en: input.contentEn }),
        ...(input.documentId !== undefined && { document_id: input.documentId }),
        ...(input.validityMonths !== undefined && { validity_months: input.validityMonths }),
        ...(input.passMark !== undefined && { pass_mark: input.passMark }),
        ...(input.requiredForSensitive !== undefined && { required_for_sensitive: input.requiredForSensitive ? 1 : 0 }),
        ...(input.status !== undefined && { status: input.status }),
        updated_at: now.toISOString(),
      })
      .where("id", "=", id)
      .execute();
    if (input.questions) await writeQuestions(w.tx, id, input.questions);
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(input).sort() } });
    return presentIn(w.tx, id);
  });
}

/** Active courses for everyone; compliance (`training.manage`) also sees retired ones. */
export async function listCourses(services: Services, ctx: RequestContext): Promise<{ items: PresentedCourse[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const manager = can(ctx.actor, "training.manage");
    let q = w.tx.selectFrom("training_courses").selectAll().orderBy("created_at");
    if (!manager) q = q.where("status", "=", "active");
    const rows = await q.execute();
    const counts = await w.tx
      .selectFrom("training_questions")
      .select((eb) => ["course_id", eb.fn.countAll<string | number>().as("n")])
      .groupBy("course_id")
      .execute();
    const n = new Map(counts.map((c) => [c.course_id, Number(c.n)]));
    w.record({ action: "training.course.list", targetType: "training_course", targetId: null, outcome: "success", details: { count: rows.length } });
    return { items: rows.map((r) => present(r, n.get(r.id) ?? 0)) };
  });
}

/**
 * One course to take: its content and quiz without the correct options. `withAnswers` (the editor)
 * takes `training.manage`.
 */
export async function readCourse(
  services: Services,
  ctx: RequestContext,
  id: string,
  options: { withAnswers?: boolean } = {},
): Promise<{ course: PresentedCourse; questions: (QuizQuestion | EditableQuestion)[] }> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: options.withAnswers ? "training.course.edit_read" : "training.course.read", targetType: "training_course", targetId: id };
    if (options.withAnswers) {
      const refused = refusedUnless(w, ctx, "training.manage", event);
      if (refused) return refused;
    }
    const row = await courseRow(w.tx, id);
    if (!row || (row.status !== "active" && !can(ctx.actor, "training.manage"))) return w.refuse(NotFoundError("Course"), event, "failure");
    const questions = await questionsOf(w.tx, id);
    w.record({ ...event, outcome: "success" });
    return { course: present(row, questions.length), questions: options.withAnswers ? questions : questions.map(withoutAnswers) };
  });
}
