/**
 * Compliance's review of an assessment the partner answered itself through a one-time link
 * (questionnaire-answers.ts): confirmed, it counts for the sharing rule like a staff assessment;
 * rejected, it stays on the record and counts for nothing. Staff assessments need no review.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { AppError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";

export const REVIEW_DECISIONS = ["confirm", "reject"] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

export const AssessmentNotPendingError = () => new AppError(409, "assessment_not_pending", "This assessment is not waiting for review.");

export async function reviewPartnerAssessment(
  services: Services,
  ctx: RequestContext,
  partnerId: string,
  assessmentId: string,
  decision: ReviewDecision,
  now = new Date(),
) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.assessment.review", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const row = await w.tx
      .selectFrom("partner_assessments")
      .select(["id", "review_status", "risk_level", "contact_id"])
      .where("id", "=", assessmentId)
      .where("partner_id", "=", partnerId)
      .executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Assessment"), event, "failure");
    if (row.review_status !== "pending_review") return w.refuse(AssessmentNotPendingError(), { ...event, details: { assessmentId } }, "failure");
    const status = decision === "confirm" ? "confirmed" : "rejected";
    await w.tx
      .updateTable("partner_assessments")
      .set({ review_status: status, reviewed_by: ctx.actor.userId, reviewed_at: now.toISOString() })
      .where("id", "=", assessmentId)
      .where("review_status", "=", "pending_review")
      .execute();
    w.record({ ...event, outcome: "success", details: { assessmentId, decision, riskLevel: row.risk_level, contactId: row.contact_id } });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}
