import { describe, expect, it } from "vitest";
import { addHours, countdown, dutiesFor, formatInZone, type Regime } from "./deadlines.js";

// The seeded regimes of migration 0006, as the store would present them.
const REGIMES: Regime[] = [
  {
    code: "cac_other_operator_4h",
    recipient: "regulator",
    hours: 4,
    minSeverity: "high",
    appliesWhen: "always",
    displayTimeZone: "Asia/Shanghai",
    verified: true,
    active: true,
  },
  {
    code: "cac_state_organ_2h",
    recipient: "regulator",
    hours: 2,
    minSeverity: "high",
    appliesWhen: "always",
    displayTimeZone: "Asia/Shanghai",
    verified: true,
    active: false,
  },
  {
    code: "cac_cii_operator_1h",
    recipient: "regulator",
    hours: 1,
    minSeverity: "high",
    appliesWhen: "always",
    displayTimeZone: "Asia/Shanghai",
    verified: true,
    active: false,
  },
  {
    code: "pipl_57_regulator",
    recipient: "regulator",
    hours: 4,
    minSeverity: "medium",
    appliesWhen: "always",
    displayTimeZone: "Asia/Shanghai",
    verified: false,
    active: true,
  },
  {
    code: "pipl_57_individuals",
    recipient: "individuals",
    hours: 24,
    minSeverity: "medium",
    appliesWhen: "always",
    displayTimeZone: "Asia/Shanghai",
    verified: false,
    active: true,
  },
  {
    code: "gdpr_33_authority",
    recipient: "regulator",
    hours: 72,
    minSeverity: "medium",
    appliesWhen: "eu_subjects",
    displayTimeZone: "Europe/Berlin",
    verified: true,
    active: true,
  },
  {
    code: "gdpr_34_data_subjects",
    recipient: "individuals",
    hours: 72,
    minSeverity: "high",
    appliesWhen: "eu_subjects",
    displayTimeZone: "Europe/Berlin",
    verified: false,
    active: true,
  },
];
const due = (plans: { regimeCode: string; dueAt: string }[]) => Object.fromEntries(plans.map((p) => [p.regimeCode, p.dueAt]));

describe("notification deadlines", () => {
  it("owes each active regime whose grade and scope the incident reaches", () => {
    const awareAt = "2026-03-10T02:00:00.000Z";
    expect(dutiesFor(REGIMES, { severity: "low", euSubjects: true, awareAt })).toEqual([]);
    expect(Object.keys(due(dutiesFor(REGIMES, { severity: "medium", euSubjects: false, awareAt })))).toEqual(["pipl_57_regulator", "pipl_57_individuals"]);
    expect(due(dutiesFor(REGIMES, { severity: "critical", euSubjects: true, awareAt }))).toEqual({
      cac_other_operator_4h: "2026-03-10T06:00:00.000Z",
      pipl_57_regulator: "2026-03-10T06:00:00.000Z",
      pipl_57_individuals: "2026-03-11T02:00:00.000Z",
      gdpr_33_authority: "2026-03-13T02:00:00.000Z",
      gdpr_34_data_subjects: "2026-03-13T02:00:00.000Z",
    });
  });

  it("computes the 1 h and 2 h CAC variants when a firm activates them", () => {
    const active = REGIMES.map((r) => ({ ...r, active: r.code.startsWith("cac_") }));
    expect(due(dutiesFor(active, { severity: "high", euSubjects: false, awareAt: "2026-03-10T23:30:00.000Z" }))).toEqual({
      cac_other_operator_4h: "2026-03-11T03:30:00.000Z",
      cac_state_organ_2h: "2026-03-11T01:30:00.000Z",
      cac_cii_operator_1h: "2026-03-11T00:30:00.000Z",
    });
  });

  it("crosses midnight and the year in Shanghai (UTC+8, no DST)", () => {
    // Aware 2026-12-31 22:00 Shanghai (14:00 UTC); four hours later is 02:00 on New Year's Day there.
    const dueAt = addHours("2026-12-31T14:00:00.000Z", 4);
    expect(dueAt).toBe("2026-12-31T18:00:00.000Z");
    expect(formatInZone(dueAt, "Asia/Shanghai")).toBe("2027-01-01 02:00 +08:00");
  });

  it("counts 72 elapsed hours across the spring-forward change in Berlin", () => {
    // Aware Saturday 2026-03-28 23:30 CET; clocks go forward on Sunday 29 March at 02:00.
    const awareAt = "2026-03-28T22:30:00.000Z";
    expect(formatInZone(awareAt, "Europe/Berlin")).toBe("2026-03-28 23:30 +01:00");
    const dueAt = addHours(awareAt, 72);
    expect(dueAt).toBe("2026-03-31T22:30:00.000Z");
    // 72 real hours later the local clock reads one hour more than a naive "same time + 3 days".
    expect(formatInZone(dueAt, "Europe/Berlin")).toBe("2026-04-01 00:30 +02:00");
  });

  it("counts across the autumn change in Berlin", () => {
    const dueAt = addHours("2026-10-24T10:00:00.000Z", 72); // 12:00 CEST Saturday
    expect(formatInZone(dueAt, "Europe/Berlin")).toBe("2026-10-27 11:00 +01:00");
  });

  it("counts down and flags overdue pending duties only", () => {
    expect(countdown("2026-03-10T06:00:00.000Z", "2026-03-10T05:00:00.000Z", false)).toEqual({ remainingMs: 3_600_000, overdue: false });
    expect(countdown("2026-03-10T06:00:00.000Z", "2026-03-10T06:00:01.000Z", false)).toEqual({ remainingMs: -1000, overdue: true });
    expect(countdown("2026-03-10T06:00:00.000Z", "2026-03-10T07:00:00.000Z", true).overdue).toBe(false);
  });
});
