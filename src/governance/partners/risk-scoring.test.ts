import { describe, expect, it } from "vitest";
import { addMonths } from "./partner.js";
import { DEFAULT_QUESTIONNAIRE } from "./questionnaire.js";
import { reassessmentDueOn, scoreAssessment } from "./risk-scoring.js";

const GOOD: Record<string, string> = {
  security_measures: "yes",
  mlps_level: "level_3",
  iso27001: "yes",
  breach_history: "none",
  sub_processors: "none",
  data_location: "mainland_china",
  encryption_at_rest: "yes",
  encryption_in_transit: "yes",
  access_control: "yes",
  incident_notification: "within_24h",
  deletion_at_end: "yes",
};

describe("due-diligence risk scoring", () => {
  it("scores a partner with good answers low, with no reasons", () => {
    expect(scoreAssessment(DEFAULT_QUESTIONNAIRE, GOOD)).toEqual({ level: "low", reasons: [] });
  });

  it("one medium answer makes medium, and says which", () => {
    expect(scoreAssessment(DEFAULT_QUESTIONNAIRE, { ...GOOD, iso27001: "no" })).toEqual({
      level: "medium",
      reasons: [{ question: "iso27001", answer: "no", risk: "medium" }],
    });
  });

  it("one high answer makes high", () => {
    const s = scoreAssessment(DEFAULT_QUESTIONNAIRE, { ...GOOD, breach_history: "major" });
    expect(s.level).toBe("high");
    expect(s.reasons).toEqual([{ question: "breach_history", answer: "major", risk: "high" }]);
  });

  it("three medium answers add up to high", () => {
    const s = scoreAssessment(DEFAULT_QUESTIONNAIRE, { ...GOOD, iso27001: "no", mlps_level: "none", encryption_at_rest: "no" });
    expect(s.level).toBe("high");
    expect(s.reasons.map((r) => r.question)).toEqual(["mlps_level", "iso27001", "encryption_at_rest"]);
  });

  it("an unanswered scored question counts as medium; free text never scores", () => {
    const { deletion_at_end: _, ...rest } = GOOD;
    const s = scoreAssessment(DEFAULT_QUESTIONNAIRE, { ...rest, notes: "anything at all" });
    expect(s).toEqual({ level: "medium", reasons: [{ question: "deletion_at_end", answer: null, risk: "medium" }] });
  });

  it("follows an edited questionnaire", () => {
    const edited = DEFAULT_QUESTIONNAIRE.map((q) => (q.code === "iso27001" ? { ...q, riskByAnswer: { yes: "low" as const, no: "high" as const } } : q));
    expect(scoreAssessment(edited, { ...GOOD, iso27001: "no" }).level).toBe("high");
  });

  it("re-assessment falls due after 12 months, 6 for high risk, clamped to month ends", () => {
    expect(reassessmentDueOn("2026-03-15", "low")).toBe("2027-03-15");
    expect(reassessmentDueOn("2026-03-15", "medium")).toBe("2027-03-15");
    expect(reassessmentDueOn("2026-03-15", "high")).toBe("2026-09-15");
    expect(addMonths("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonths("2024-02-29", 36)).toBe("2027-02-28");
  });
});
