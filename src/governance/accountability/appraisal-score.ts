/**
 * Confidentiality performance for appraisal (TRN-3), a pure function of its inputs so the score can
 * always be explained: it starts at 100 and each input takes points off, each kind capped, never
 * below 0. The inputs and every deduction are returned with the score.
 */

/** A quarter: "2026-Q3". */
export const PERIOD_PATTERN = /^(\d{4})-Q([1-4])$/;

/** The quarter's first day and the next quarter's first day (exclusive), as YYYY-MM-DD. */
export function periodBounds(period: string): { from: string; until: string } | null {
  const m = PERIOD_PATTERN.exec(period);
  if (!m) return null;
  const year = Number(m[1]);
  const q = Number(m[2]);
  if (year < 1970 || year > 9998) return null;
  const month = (q - 1) * 3 + 1;
  const next = q === 4 ? { y: year + 1, m: 1 } : { y: year, m: month + 3 };
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return { from: `${pad(year, 4)}-${pad(month)}-01`, until: `${pad(next.y, 4)}-${pad(next.m)}-01` };
}

/** The quarter a day falls in. */
export const periodOf = (day: string): string => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

export interface AppraisalInputs {
  /** Training completions in the period (null: the training module is not installed). */
  trainingCompletions: number | null;
  /** A completion still current at the period's end. */
  trainingCurrent: boolean | null;
  /** Policies in force at the period's end, and how many of their current versions the person had attested. */
  policiesRequired: number;
  policiesAttested: number;
  /** Detection alerts raised against the person in the period and not dismissed. */
  alerts: number;
  /** Of which high or critical. */
  seriousAlerts: number;
  /** Sanction codes decided against the person in the period. */
  sanctions: string[];
}

export type Rating = "excellent" | "good" | "needs_improvement" | "unsatisfactory";

export interface Deduction {
  input: "training" | "attestations" | "alerts" | "sanctions";
  points: number;
}

export const SANCTION_POINTS: Readonly<Record<string, number>> = {
  warning: 20,
  training: 10,
  suspension: 40,
  demotion: 50,
  dismissal: 100,
  referral: 100,
};
const CAP = { training: 20, attestations: 30, alerts: 30, sanctions: 100 } as const;

export function ratingOf(score: number): Rating {
  if (score >= 90) return "excellent";
  if (score >= 75) return "good";
  if (score >= 60) return "needs_improvement";
  return "unsatisfactory";
}

export function confidentialityScore(inputs: AppraisalInputs): { score: number; rating: Rating; deductions: Deduction[] } {
  const deductions: Deduction[] = [];
  const take = (input: Deduction["input"], points: number, cap: number) => {
    const p = Math.min(cap, Math.max(0, Math.round(points)));
    if (p > 0) deductions.push({ input, points: p });
  };
  if (inputs.trainingCurrent === false) take("training", CAP.training, CAP.training);
  take("attestations", Math.max(0, inputs.policiesRequired - inputs.policiesAttested) * 10, CAP.attestations);
  take("alerts", (inputs.alerts - inputs.seriousAlerts) * 5 + inputs.seriousAlerts * 10, CAP.alerts);
  take(
    "sanctions",
    inputs.sanctions.reduce((sum, s) => sum + (SANCTION_POINTS[s] ?? 0), 0),
    CAP.sanctions,
  );
  const score = Math.max(0, 100 - deductions.reduce((sum, d) => sum + d.points, 0));
  return { score, rating: ratingOf(score), deductions };
}
