/** Compliance's view of the figures (TRN-1, TRN-2): the KPI figures and, per active course, how many hold a current completion. */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { refusedUnless } from "./training-guard.js";
import { type TrainingCompletionFigures, trainingCompletionFigures } from "./training-completion.js";

export interface TrainingReport {
  figures: TrainingCompletionFigures;
  activeStaff: number;
  courses: { courseId: string; currentCompletions: number }[];
  /** Active staff who have not acknowledged the current staff NDA (ids; the console names them). */
  pendingAcknowledgement: string[];
}

export async function trainingReport(services: Services, ctx: RequestContext, now = new Date()): Promise<TrainingReport> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "training.report", targetType: "training_course", targetId: null };
    const refused = refusedUnless(w, ctx, "training.manage", event);
    if (refused) return refused;
    const at = now.toISOString();
    const figures = await trainingCompletionFigures(w.tx, now);
    const staff = (await w.tx.selectFrom("users").select("id").where("status", "=", "active").orderBy("id").execute()).map((u) => u.id);
    const courses = await w.tx
      .selectFrom("training_courses as c")
      .leftJoin("training_completions as t", (j) => j.onRef("t.course_id", "=", "c.id").on("t.completed_at", "<=", at).on("t.expires_at", ">", at))
      .select((eb) => ["c.id", eb.fn.count<string | number>("t.user_id").distinct().as("n")])
      .where("c.status", "=", "active")
      .groupBy("c.id")
      .orderBy("c.id")
      .execute();
    const current = await w.tx
      .selectFrom("agreement_versions")
      .select("version")
      .where("kind", "=", "staff_nda")
      .orderBy("version", "desc")
      .limit(1)
      .executeTakeFirst();
    const acked = current
      ? new Set(
          (
            await w.tx
              .selectFrom("agreement_acknowledgements")
              .select("user_id")
              .where("kind", "=", "staff_nda")
              .where("version", ">=", Number(current.version))
              .execute()
          ).map((r) => r.user_id),
        )
      : new Set<string>();
    w.record({ ...event, outcome: "success" });
    return {
      figures,
      activeStaff: staff.length,
      courses: courses.map((c) => ({ courseId: c.id, currentCompletions: Number(c.n) })),
      pendingAcknowledgement: current ? staff.filter((id) => !acked.has(id)) : [],
    };
  });
}
