/**
 * Access conditions (TRN-2): to read L3+ data a user needs
 * - an acknowledgement of the CURRENT version of the staff NDA (the highest staff_nda version
 *   published by `now`; a new version requires re-acknowledgement), and
 * - a current (unexpired) completion of every active course flagged `required_for_sensitive`.
 * If no course is flagged, the training half is unmet (fail closed): compliance may not unflag or
 * retire the last required course (src/governance/training/courses.ts), and migration 0031 seeds one.
 * The records live in src/governance/training/; this is their read on the hot path: two indexed
 * statements, no cache.
 */
import { sql } from "kysely";
import type { Tx } from "../../platform/db/engine.js";
import { prepared } from "../../platform/db/prepared.js";

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Training `--expires YYYY-MM-DD` is valid through that day (UTC): it ends at the next midnight. */
export const endOfDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00.000Z`) + 86_400_000).toISOString();

/** The agreement kind whose current version is an access condition. */
export const STAFF_NDA = "staff_nda";

export interface RequiredCourseStatus {
  courseId: string;
  completedAt: string | null;
  expiresAt: string | null;
  current: boolean;
}

export interface AccessConditions {
  /** The user's latest acknowledgement of the staff NDA (any version), or null. */
  agreement: { version: number; signedAt: string } | null;
  /** The staff NDA version in force; null if none is published. */
  agreementCurrentVersion: number | null;
  /** The required completion that runs out first, or null when some required course was never completed. */
  training: { completedAt: string; expiresAt: string } | null;
  requiredCourses: RequiredCourseStatus[];
  agreementMet: boolean;
  trainingMet: boolean;
  met: boolean;
}

// Both statements run on every read of L3+ data: compiled once.
const currentAgreement = prepared((db, p: { userId: string; at: string }) =>
  db
    .selectFrom("agreement_versions as v")
    .leftJoin("agreement_acknowledgements as a", (j) => j.on("a.user_id", "=", p.userId).onRef("a.kind", "=", "v.kind").on("a.acknowledged_at", "<=", p.at))
    .select(["v.version as current_version", "a.version as ack_version", "a.acknowledged_at"])
    .where("v.kind", "=", STAFF_NDA)
    .where("v.published_at", "<=", p.at)
    .orderBy("v.version", "desc")
    .orderBy(sql`a.version is null`)
    .orderBy("a.version", "desc")
    .orderBy("a.acknowledged_at", "desc")
    .limit(1),
);
const requiredCourseCompletions = prepared((db, p: { userId: string; at: string }) =>
  db
    .selectFrom("training_courses as c")
    .leftJoin("training_completions as t", (j) => j.onRef("t.course_id", "=", "c.id").on("t.user_id", "=", p.userId).on("t.completed_at", "<=", p.at))
    .select((eb) => ["c.id", eb.fn.max("t.expires_at").as("expires_at"), eb.fn.max("t.completed_at").as("completed_at")])
    .where("c.required_for_sensitive", "=", 1)
    .where("c.status", "=", "active")
    .groupBy("c.id")
    .orderBy("c.id"),
);

/** The user's agreement and training as of `now`, and whether both are current. */
export async function accessConditionsOf(tx: Tx, userId: string, now: Date): Promise<AccessConditions> {
  const at = now.toISOString();
  // 1: the current staff NDA version, with the user's latest acknowledgement of that kind (unique
  // index on (kind, version); index on acknowledgements (user_id, kind, version)).
  const [agreement] = await currentAgreement(tx, { userId, at });
  // 2: every required course with the user's latest completion of it (index on completions (user_id, course_id, expires_at)).
  const courses = await requiredCourseCompletions(tx, { userId, at });
  const currentVersion = agreement ? Number(agreement.current_version) : null;
  const ack =
    agreement && agreement.ack_version !== null && agreement.acknowledged_at !== null
      ? { version: Number(agreement.ack_version), signedAt: agreement.acknowledged_at }
      : null;
  const agreementMet = currentVersion !== null && ack !== null && ack.version >= currentVersion;
  const requiredCourses: RequiredCourseStatus[] = courses.map((c) => ({
    courseId: c.id,
    completedAt: (c.completed_at as string | null) ?? null,
    expiresAt: (c.expires_at as string | null) ?? null,
    current: c.expires_at !== null && c.expires_at !== undefined && at < (c.expires_at as string),
  }));
  const trainingMet = requiredCourses.length > 0 && requiredCourses.every((c) => c.current);
  const binding = requiredCourses.every((c) => c.expiresAt !== null)
    ? requiredCourses.reduce<RequiredCourseStatus | null>((m, c) => (m === null || (c.expiresAt ?? "") < (m.expiresAt ?? "") ? c : m), null)
    : null;
  return {
    agreement: ack,
    agreementCurrentVersion: currentVersion,
    training: binding?.completedAt && binding.expiresAt ? { completedAt: binding.completedAt, expiresAt: binding.expiresAt } : null,
    requiredCourses,
    agreementMet,
    trainingMet,
    met: agreementMet && trainingMet,
  };
}
