import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { severityRank } from "../detection/rules.js";
import { gradeIncident } from "./severity.js";

describe("incident grading", () => {
  it("grades by people, sensitivity and whether data left the firm", () => {
    expect(gradeIncident({ peopleAffected: 0, l4Involved: false, leftFirm: false })).toBe("low");
    expect(gradeIncident({ peopleAffected: 1, l4Involved: false, leftFirm: false })).toBe("low");
    expect(gradeIncident({ peopleAffected: 1, l4Involved: true, leftFirm: false })).toBe("medium");
    expect(gradeIncident({ peopleAffected: 12, l4Involved: false, leftFirm: false })).toBe("medium");
    expect(gradeIncident({ peopleAffected: 1, l4Involved: true, leftFirm: true })).toBe("high");
    expect(gradeIncident({ peopleAffected: 150, l4Involved: false, leftFirm: false })).toBe("high");
    expect(gradeIncident({ peopleAffected: 150, l4Involved: true, leftFirm: false })).toBe("critical");
    expect(gradeIncident({ peopleAffected: 5000, l4Involved: false, leftFirm: false })).toBe("critical");
  });

  it("never grades lower when the impact grows", () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(100_000), fc.boolean(), fc.boolean(), (a, b, l4, left) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const base = severityRank(gradeIncident({ peopleAffected: lo, l4Involved: false, leftFirm: false }));
        expect(severityRank(gradeIncident({ peopleAffected: hi, l4Involved: l4, leftFirm: left }))).toBeGreaterThanOrEqual(base);
      }),
    );
  });
});
