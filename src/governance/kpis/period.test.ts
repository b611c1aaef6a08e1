import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { localDate } from "../../rights/requests/deadlines.js";
import { figure } from "./kpi.js";
import { localMidnight, monthsOf, parsePeriod, periodLabelAt, periodsEndingWith, shiftPeriod } from "./period.js";

const TZ = "Asia/Shanghai";
// Up to 2098: the property looks at the next period too, and labels stop at 2099 (a counterexample: 2099-Q4).
const month = fc
  .record({ y: fc.integer({ min: 2000, max: 2098 }), m: fc.integer({ min: 1, max: 12 }) })
  .map(({ y, m }) => `${y}-${String(m).padStart(2, "0")}`);
const quarter = fc.record({ y: fc.integer({ min: 2000, max: 2098 }), q: fc.integer({ min: 1, max: 4 }) }).map(({ y, q }) => `${y}-Q${q}`);

describe("KPI periods", () => {
  it("bound a month by local midnights in the firm's time zone", () => {
    expect(parsePeriod("2026-12", TZ)).toEqual({
      label: "2026-12",
      kind: "month",
      firstDay: "2026-12-01",
      endDay: "2027-01-01",
      from: "2026-11-30T16:00:00.000Z",
      to: "2026-12-31T16:00:00.000Z",
    });
    expect(parsePeriod("2026-Q4", TZ)).toMatchObject({ firstDay: "2026-10-01", endDay: "2027-01-01", from: "2026-09-30T16:00:00.000Z" });
    expect(localMidnight("2026-07-01", "Europe/Berlin")).toBe("2026-06-30T22:00:00.000Z");
    expect(localMidnight("2026-01-01", "Europe/Berlin")).toBe("2025-12-31T23:00:00.000Z");
  });

  it("refuse anything that is not YYYY-MM or YYYY-Qn", () => {
    for (const bad of ["2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-01", "2026-1", "1999-12", "2100-01", "2026-12 ", "2026-q4", ""])
      expect(parsePeriod(bad, TZ), bad).toBeNull();
    fc.assert(
      fc.property(fc.string(), (s) => {
        const p = parsePeriod(s, TZ);
        if (p) expect(s).toMatch(/^20\d{2}-(0[1-9]|1[0-2]|Q[1-4])$/);
      }),
    );
  });

  it("tile time: consecutive periods meet, and every instant lies in the period its local date names", () => {
    fc.assert(
      fc.property(fc.oneof(month, quarter), (label) => {
        const p = parsePeriod(label, TZ)!;
        const next = parsePeriod(shiftPeriod(label, 1), TZ)!;
        expect(next.from).toBe(p.to);
        expect(next.firstDay).toBe(p.endDay);
        expect(shiftPeriod(shiftPeriod(label, 7), -7)).toBe(label);
        expect(localDate(new Date(p.from), TZ)).toBe(p.firstDay);
        expect(localDate(new Date(Date.parse(p.to) - 1), TZ) < p.endDay).toBe(true);
      }),
    );
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-02-01"), max: new Date("2099-11-30"), noInvalidDate: true }),
        fc.constantFrom("month" as const, "quarter" as const),
        (at, kind) => {
          const p = parsePeriod(periodLabelAt(at, kind, TZ), TZ)!;
          expect(at.toISOString() >= p.from && at.toISOString() < p.to).toBe(true);
        },
      ),
    );
  });

  it("list trends oldest first and split a quarter into its months", () => {
    const q = parsePeriod("2027-Q1", TZ)!;
    expect(periodsEndingWith(q, 4, TZ).map((p) => p.label)).toEqual(["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]);
    expect(periodsEndingWith(parsePeriod("2027-02", TZ)!, 3, TZ).map((p) => p.label)).toEqual(["2026-12", "2027-01", "2027-02"]);
    expect(monthsOf(q, TZ).map((p) => p.label)).toEqual(["2027-01", "2027-02", "2027-03"]);
  });

  it("decide met in integers, both ways", () => {
    expect(figure("leak_incident_rate", 1, 200, 5_000, { numerator: "", denominator: "" })).toMatchObject({ value: 0.005, met: true });
    expect(figure("leak_incident_rate", 2, 200, 5_000, { numerator: "", denominator: "" }).met).toBe(false);
    expect(figure("requests_on_time", 2, 3, 1_000_000, { numerator: "", denominator: "" }).met).toBe(false);
    expect(figure("requests_on_time", 0, 0, 1_000_000, { numerator: "", denominator: "" })).toMatchObject({ value: null, met: null });
  });
});
