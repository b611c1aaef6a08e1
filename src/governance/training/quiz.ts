/**
 * Quiz grading (TRN-1): on the server only. A question counts as right when the chosen options are
 * exactly its correct ones (multi-answer questions included); the score is the percentage right.
 */

export interface GradableQuestion {
  id: string;
  correct: readonly number[];
}

export interface Grade {
  score: number;
  rightCount: number;
  total: number;
  passed: boolean;
  /** Per question, right or wrong — never which options were correct (the quiz stays reusable). */
  results: { questionId: string; right: boolean }[];
}

export function gradeAnswers(questions: readonly GradableQuestion[], answers: Readonly<Record<string, readonly number[]>>, passMark: number): Grade {
  const results = questions.map((q) => {
    const chosen = new Set(answers[q.id] ?? []);
    const right = chosen.size === q.correct.length && q.correct.every((i) => chosen.has(i));
    return { questionId: q.id, right };
  });
  const rightCount = results.filter((r) => r.right).length;
  const total = questions.length;
  const score = total === 0 ? 0 : Math.floor((rightCount * 100) / total);
  return { score, rightCount, total, passed: total > 0 && score >= passMark, results };
}

/** completed_at + validity months (calendar months, clamped to the month's last day), as an instant. */
export function addMonths(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}
