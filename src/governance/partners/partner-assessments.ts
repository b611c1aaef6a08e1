/**
 * Due diligence (VEN-1): the questionnaire as editable data, and assessments answered by staff,
 * scored into a risk level with the answers that raised it and a re-assessment due date.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { dayOf, type RiskLevel } from "./partner.js";
import type { AssessmentInput, QuestionUpdateInput } from "./partner-inputs.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";
import type { AnswerKind, Question } from "./questionnaire.js";
import { reassessmentDueOn, scoreAssessment } from "./risk-scoring.js";

export interface PresentedQuestion extends Question {
  readonly position: number;
  readonly active: boolean;
}

async function questionsIn(tx: Tx, activeOnly: boolean): Promise<PresentedQuestion[]> {
  let q = tx.selectFrom("partner_questions").selectAll().orderBy("position").orderBy("code");
  if (activeOnly) q = q.where("active", "=", 1);
  return (await q.execute()).map((r) => ({
    code: r.code,
    position: r.position,
    textZh: r.text_zh,
    textEn: r.text_en,
    kind: r.answer_kind as AnswerKind,
    riskByAnswer: JSON.parse(r.risk_by_answer) as Record<string, RiskLevel>,
    active: r.active === 1,
  }));
}

/** The questionnaire, inactive questions included (they are kept so old assessments still read). */
export async function listQuestionnaire(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.questionnaire.read", targetType: "partner_questionnaire", targetId: null };
    const refused = refusedUnless(w, ctx, "partner.read", event);
    if (refused) return refused;
    const items = await questionsIn(w.tx, false);
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return { items };
  });
}

/** Editing a question: its texts, the risk each answer carries, whether it is asked. */
export async function updateQuestion(services: Services, ctx: RequestContext, code: string, change: QuestionUpdateInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.questionnaire.update", targetType: "partner_questionnaire", targetId: code };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("partner_questions").select(["code", "answer_kind"]).where("code", "=", code).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Question"), event, "failure");
    if (change.riskByAnswer && row.answer_kind === "text")
      return w.refuse(ValidationError([{ field: "riskByAnswer", code: "not_scored", message: "Free-text questions carry no risk." }]), event, "failure");
    await w.tx
      .updateTable("partner_questions")
      .set({
        ...(change.textZh !== undefined ? { text_zh: change.textZh } : {}),
        ...(change.textEn !== undefined ? { text_en: change.textEn } : {}),
        ...(change.riskByAnswer !== undefined ? { risk_by_answer: JSON.stringify(change.riskByAnswer) } : {}),
        ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
        updated_at: now.toISOString(),
        updated_by: ctx.actor.userId,
      })
      .where("code", "=", code)
      .execute();
    w.record({ ...event, outcome: "success", details: { fields: Object.keys(change).sort() } });
    return (await questionsIn(w.tx, false)).find((q) => q.code === code)!;
  });
}

/**
 * Staff record a partner's answers. Answers to a choice or yes/no question must be one the
 * question lists; unknown question codes are refused. The score and its reasons are stored with
 * the answers, so a later edit of the questionnaire does not rewrite past assessments.
 */
export async function assessPartner(services: Services, ctx: RequestContext, partnerId: string, input: AssessmentInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.assess", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    const questions = await questionsIn(w.tx, true);
    const issues = Object.entries(input.answers).flatMap(([code, answer]) => {
      const q = questions.find((x) => x.code === code);
      if (!q) return [{ field: `answers.${code}`, code: "unknown_question", message: "Not a question of the questionnaire." }];
      if (q.kind !== "text" && !(answer in q.riskByAnswer))
        return [{ field: `answers.${code}`, code: "unknown_answer", message: "Not one of the question's answers." }];
      return [];
    });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    const assessedOn = input.assessedOn ?? dayOf(now);
    const score = scoreAssessment(questions, input.answers);
    const dueOn = input.reassessmentDueOn ?? reassessmentDueOn(assessedOn, score.level);
    if (dueOn <= assessedOn)
      return w.refuse(ValidationError([{ field: "reassessmentDueOn", code: "before_assessment", message: "Must be after the assessment." }]), event, "failure");
    const id = uuidv7();
    await w.tx
      .insertInto("partner_assessments")
      .values({
        id,
        partner_id: partnerId,
        assessed_on: assessedOn,
        assessor_id: ctx.actor.userId,
        answers: JSON.stringify(input.answers),
        risk_level: score.level,
        reasons: JSON.stringify(score.reasons),
        reassessment_due_on: dueOn,
        created_at: now.toISOString(),
        // Entered by staff: it counts at once (a partner's own answers wait for review, questionnaire-answers.ts).
        answered_by: "staff",
        contact_id: null,
        link_id: null,
        review_status: "confirmed",
        reviewed_by: null,
        reviewed_at: null,
      })
      .execute();
    // Question codes and risk levels only: answers may be free text.
    w.record({
      ...event,
      outcome: "success",
      details: { assessmentId: id, riskLevel: score.level, raisedBy: score.reasons.map((r) => r.question), reassessmentDueOn: dueOn },
    });
    return {
      assessmentId: id,
      riskLevel: score.level,
      reasons: [...score.reasons],
      reassessmentDueOn: dueOn,
      partner: (await readPartnerIn(services, w.tx, partnerId, now))!,
    };
  });
}
