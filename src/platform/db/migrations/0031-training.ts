import type { Kysely, Migration } from "kysely";
import { DEFAULT_COURSE, DEFAULT_COURSE_ID, DEFAULT_QUIZ, DEFAULT_STAFF_NDA } from "../../../governance/training/defaults.js";

/**
 * 0031: training and agreements (issue #14, TRN-1..3): courses with quizzes, assignments, attempts
 * and completions; versioned agreement texts and their acknowledgements; background checks. Seeds
 * the default required course and staff NDA v1, then moves staff_agreements rows into
 * acknowledgements of staff_nda v1 and staff_trainings rows into completions of the default course
 * (keeping their times), and drops the two old tables: the L3+ condition means the same afterwards.
 */
export const name = "0031_training";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("training_courses")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("title_zh", "text", (c) => c.notNull())
      .addColumn("title_en", "text", (c) => c.notNull())
      .addColumn("content_zh", "text", (c) => c.notNull())
      .addColumn("content_en", "text", (c) => c.notNull())
      .addColumn("document_id", "text")
      .addColumn("validity_months", "integer", (c) => c.notNull())
      .addColumn("pass_mark", "integer", (c) => c.notNull())
      .addColumn("required_for_sensitive", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    // The access condition's training half: the required courses (accessConditionsOf).
    await db.schema.createIndex("training_courses_required").on("training_courses").columns(["required_for_sensitive", "status"]).execute();
    await db.schema
      .createTable("training_questions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("course_id", "text", (c) => c.notNull().references("training_courses.id"))
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("text_zh", "text", (c) => c.notNull())
      .addColumn("text_en", "text", (c) => c.notNull())
      .addColumn("options", "text", (c) => c.notNull())
      .addColumn("correct", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("training_questions_by_course").on("training_questions").columns(["course_id", "position"]).execute();
    await db.schema
      .createTable("training_assignments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("course_id", "text", (c) => c.notNull().references("training_courses.id"))
      .addColumn("target_kind", "text", (c) => c.notNull())
      .addColumn("target_role", "text")
      .addColumn("target_user_id", "text")
      .addColumn("due_on", "text", (c) => c.notNull())
      .addColumn("assigned_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("cancelled_at", "text")
      .execute();
    await db.schema.createIndex("training_assignments_by_course").on("training_assignments").column("course_id").execute();
    await db.schema
      .createTable("training_attempts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("course_id", "text", (c) => c.notNull().references("training_courses.id"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("answers", "text", (c) => c.notNull())
      .addColumn("score", "integer", (c) => c.notNull())
      .addColumn("passed", "integer", (c) => c.notNull())
      .addColumn("submitted_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("training_attempts_by_user").on("training_attempts").columns(["user_id", "course_id"]).execute();
    await db.schema
      .createTable("training_completions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("course_id", "text", (c) => c.notNull().references("training_courses.id"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("attempt_id", "text", (c) => c.references("training_attempts.id"))
      .addColumn("completed_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .execute();
    // The hot read path (accessConditionsOf) joins a user's completions per course.
    await db.schema.createIndex("training_completions_by_user").on("training_completions").columns(["user_id", "course_id", "expires_at"]).execute();
    await db.schema
      .createTable("agreement_versions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("title_zh", "text", (c) => c.notNull())
      .addColumn("title_en", "text", (c) => c.notNull())
      .addColumn("text_zh", "text", (c) => c.notNull())
      .addColumn("text_en", "text", (c) => c.notNull())
      .addColumn("published_by", "text", (c) => c.notNull())
      .addColumn("published_at", "text", (c) => c.notNull())
      .addUniqueConstraint("agreement_versions_kind_version", ["kind", "version"])
      .execute();
    await db.schema
      .createTable("agreement_acknowledgements")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("acknowledged_at", "text", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .addColumn("ip_ct", "text")
      .addColumn("user_agent_ct", "text")
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .execute();
    // The hot read path: a user's acknowledgements of one kind, newest version first.
    await db.schema.createIndex("agreement_acknowledgements_by_user").on("agreement_acknowledgements").columns(["user_id", "kind", "version"]).execute();
    await db.schema
      .createTable("background_checks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("checked_on", "text", (c) => c.notNull())
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("notes_ct", "text")
      .addColumn("next_due_on", "text")
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("background_checks_by_user").on("background_checks").columns(["user_id", "checked_on"]).execute();

    // Seed: the default required course and its quiz, and staff NDA v1.
    const now = new Date().toISOString();
    await db
      .insertInto("training_courses")
      .values({
        id: DEFAULT_COURSE_ID,
        title_zh: DEFAULT_COURSE.titleZh,
        title_en: DEFAULT_COURSE.titleEn,
        content_zh: DEFAULT_COURSE.contentZh,
        content_en: DEFAULT_COURSE.contentEn,
        document_id: null,
        validity_months: DEFAULT_COURSE.validityMonths,
        pass_mark: DEFAULT_COURSE.passMark,
        required_for_sensitive: 1,
        status: "active",
        created_by: "system:migration",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db
      .insertInto("training_questions")
      .values(
        DEFAULT_QUIZ.map((q, i) => ({
          id: `00000000-0000-7000-8000-0000000014${String(i + 1).padStart(2, "0")}`,
          course_id: DEFAULT_COURSE_ID,
          position: (i + 1) * 10,
          text_zh: q.textZh,
          text_en: q.textEn,
          options: JSON.stringify(q.options),
          correct: JSON.stringify(q.correct),
        })),
      )
      .execute();
    // Version 1 counts from the beginning of time: agreements signed before the upgrade acknowledged it.
    await db
      .insertInto("agreement_versions")
      .values({
        id: "00000000-0000-7000-8000-0000000000a1",
        kind: DEFAULT_STAFF_NDA.kind,
        version: 1,
        title_zh: DEFAULT_STAFF_NDA.titleZh,
        title_en: DEFAULT_STAFF_NDA.titleEn,
        text_zh: DEFAULT_STAFF_NDA.textZh,
        text_en: DEFAULT_STAFF_NDA.textEn,
        published_by: "system:migration",
        published_at: "1970-01-01T00:00:00.000Z",
      })
      .execute();

    // Carry over what was recorded (ids kept: they were UUIDv7 already).
    const agreements = await db.selectFrom("staff_agreements").selectAll().execute();
    for (const a of agreements) {
      await db
        .insertInto("agreement_acknowledgements")
        .values({
          id: a.id,
          user_id: a.user_id,
          kind: "staff_nda",
          version: 1,
          acknowledged_at: a.signed_at,
          source: "recorded",
          ip_ct: null,
          user_agent_ct: null,
          recorded_by: a.recorded_by,
        })
        .execute();
    }
    const trainings = await db.selectFrom("staff_trainings").selectAll().execute();
    for (const t of trainings) {
      await db
        .insertInto("training_completions")
        .values({
          id: t.id,
          course_id: DEFAULT_COURSE_ID,
          user_id: t.user_id,
          source: "recorded",
          attempt_id: null,
          completed_at: t.completed_at,
          expires_at: t.expires_at,
          recorded_by: t.recorded_by,
          recorded_at: t.recorded_at,
        })
        .execute();
    }
    await db.schema.dropTable("staff_agreements").execute();
    await db.schema.dropTable("staff_trainings").execute();
  },
});
