import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AppraisalInputs, confidentialityScore, periodBounds, periodOf, ratingOf, SANCTION_POINTS } from "./appraisal-score.js";

const inputs = fc
  .record<AppraisalInputs>({
    trainingCompletions: fc.option(fc.nat(20), { nil: null }),
    trainingCurrent: fc.option(fc.boolean(), { nil: null }),
    policiesRequired: fc.nat(40),
    policiesAttested: fc.nat(40),
    alerts: fc.nat(50),
    seriousAlerts: fc.nat(50),
    sanctions: fc.array(fc.constantFrom(...Object.keys(SANCTION_POINTS)), { maxLength: 5 }),
  })
  .map((i) => ({ ...i, policiesAttested: Math.min(i.policiesAttested, i.policiesRequired), seriousAlerts: Math.min(i.seriousAlerts, i.alerts) }));

describe("confidentiality score", () => {
  it("stays within 0–100, equals 100 less its deductions, and its rating follows the score", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const r = confidentialityScore(i);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        expect(r.score).toBe(Math.max(0, 100 - r.deductions.reduce((s, d) => s + d.points, 0)));
        expect(r.rating).toBe(ratingOf(r.score));
        expect(r.deductions.every((d) => d.points > 0)).toBe(true);
      }),
    );
  });

  it("never rises with another alert, another unattested policy or another sanction", () => {
    fc.assert(
      fc.property(inputs, fc.constantFrom(...Object.keys(SANCTION_POINTS)), (i, s) => {
        const base = confidentialityScore(i).score;
        expect(confidentialityScore({ ...i, alerts: i.alerts + 1 }).score).toBeLessThanOrEqual(base);
        expect(confidentialityScore({ ...i, policiesRequired: i.policiesRequired + 1 }).score).toBeLessThanOrEqual(base);
        expect(confidentialityScore({ ...i, sanctions: [...i.sanctions, s] }).score).toBeLessThanOrEqual(base);
        expect(confidentialityScore({ ...i, trainingCurrent: false }).score).toBeLessThanOrEqual(confidentialityScore({ ...i, trainingCurrent: true }).score);
      }),
    );
  });

  it("a clean quarter scores 100; a dismissal 0", () => {
    const clean: AppraisalInputs = {
      trainingCompletions: 1,
      trainingCurrent: true,
      policiesRequired: 3,
      policiesAttested: 3,
      alerts: 0,
      seriousAlerts: 0,
      sanctions: [],
    };
    expect(confidentialityScore(clean)).toEqual({ score: 100, rating: "excellent", deductions: [] });
    expect(confidentialityScore({ ...clean, sanctions: ["dismissal"] }).score).toBe(0);
  });
});

describe("quarters", () => {
  it("parse to [first day, next quarter's first day) and contain their own days", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 9998 }), fc.integer({ min: 1, max: 4 }), (y, q) => {
        const period = `${y}-Q${q}`;
        const b = periodBounds(period)!;
        expect(b.from < b.until).toBe(true);
        expect(periodOf(b.from)).toBe(period);
        const last = new Date(Date.parse(`${b.until}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        expect(periodOf(last)).toBe(period);
      }),
    );
    expect(periodBounds("2026-Q4")).toEqual({ from: "2026-10-01", until: "2027-01-01" });
  });

  it("refuse anything else", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^\d{4}-Q[1-4]$/.test(s));
        expect(periodBounds(s)).toBeNull();
      }),
    );
    for (const bad of ["2026-Q0", "2026-Q5", "2026Q1", " 2026-Q1", "2026-q1"]) expect(periodBounds(bad)).toBeNull();
  });
});
