/**
 * Scoring a due-diligence assessment (VEN-1) into low / medium / high, with the answers that raised
 * it. Pure: the questionnaire is passed in, so edited questions score the same way in tests.
 */
import { addMonths, type RiskLevel } from "./partner.js";
import type { Question } from "./questionnaire.js";

export interface RiskReason {
  /** The question whose answer raised the risk. */
  readonly question: string;
  /** The answer given, or null when a scored question was left unanswered. */
  readonly answer: string | null;
  readonly risk: Exclude<RiskLevel, "low">;
}

export interface RiskScore {
  readonly level: RiskLevel;
  readonly reasons: readonly RiskReason[];
}

/** Three medium findings together weigh as one high: many small gaps make a weak partner. */
export const MEDIUMS_MAKING_HIGH = 3;

/**
 * Any high answer makes the partner high risk; otherwise medium answers make it medium, and
 * MEDIUMS_MAKING_HIGH of them high. A scored question left unanswered counts as medium (nothing
 * is known), and so does an answer the question does not list.
 */
export function scoreAssessment(questions: readonly Question[], answers: Readonly<Record<string, string>>): RiskScore {
  const reasons: RiskReason[] = [];
  for (const q of questions) {
    if (q.kind === "text") continue;
    const answer = answers[q.code]?.trim() || null;
    const risk: RiskLevel = answer === null ? "medium" : (q.riskByAnswer[answer] ?? "medium");
    if (risk !== "low") reasons.push({ question: q.code, answer, risk });
  }
  const highs = reasons.filter((r) => r.risk === "high").length;
  const mediums = reasons.length - highs;
  const level: RiskLevel = highs > 0 || mediums >= MEDIUMS_MAKING_HIGH ? "high" : mediums > 0 ? "medium" : "low";
  return { level, reasons };
}

/** Re-assessment: a year after the assessment, six months for a high-risk partner. */
export const reassessmentDueOn = (assessedOn: string, level: RiskLevel): string => addMonths(assessedOn, level === "high" ? 6 : 12);
