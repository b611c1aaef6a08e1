import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  deadlineFlags,
  dueDate,
  extendedDueDate,
  isWorkingDay,
  localDate,
  workingDaysBetween,
  type Regime,
} from "./deadlines.js";

const PIPL: Regime = { code: "pipl", unit: "working_days", amount: 15, extension: null, reminderDays: 3, verified: false };
const GBT: Regime = { code: "gbt35273_30d", unit: "calendar_days", amount: 30, extension: null, reminderDays: 5, verified: false };
const GDPR: Regime = { code: "gdpr", unit: "months", amount: 1, extension: { unit: "months", amount: 2 }, reminderDays: 5, verified: true };

const dates = fc
  .date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("deadline arithmetic", () => {
  it("clamps month ends: Jan 31 + 1 month is the last day of February", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2024-03-31", 1)).toBe("2024-04-30");
    expect(addMonths("2024-12-15", 1)).toBe("2025-01-15");
    expect(addMonths("2025-11-30", 3)).toBe("2026-02-28");
    expect(dueDate("2025-01-31", GDPR)).toBe("2025-02-28");
  });

  it("counts working days from the next day and skips weekends", () => {
    // 2025-06-06 is a Friday: the 1st working day after is Monday 06-09; the 15th is Friday 06-27.
    expect(addWorkingDays("2025-06-06", 1)).toBe("2025-06-09");
    expect(dueDate("2025-06-06", PIPL)).toBe("2025-06-27");
    // Received on a Saturday: counting starts Monday.
    expect(addWorkingDays("2025-06-07", 1)).toBe("2025-06-09");
    expect(dueDate("2025-06-01", GBT)).toBe("2025-07-01");
  });

  it("takes holidays and make-up working days from data", () => {
    const calendar = {
      holidays: new Set(["2025-10-01", "2025-10-02", "2025-10-03", "2025-10-06", "2025-10-07", "2025-10-08"]),
      workdays: new Set(["2025-09-28", "2025-10-11"]),
    };
    expect(isWorkingDay("2025-10-01", calendar)).toBe(false);
    expect(isWorkingDay("2025-09-28", calendar)).toBe(true); // a Sunday worked
    // From Fri 09-26: Sun 09-28 (make-up), Mon 09-29, Tue 09-30, then the holiday week, Thu 10-09.
    expect(addWorkingDays("2025-09-26", 4, calendar)).toBe("2025-10-09");
  });

  it("extends a GDPR deadline by two months from the original, only before it passes", () => {
    const due = dueDate("2025-01-10", GDPR);
    expect(due).toBe("2025-02-10");
    expect(extendedDueDate(due, "2025-02-01", GDPR)).toBe("2025-04-10");
    expect(extendedDueDate(due, "2025-02-11", GDPR)).toBeNull();
    expect(extendedDueDate(dueDate("2025-01-10", PIPL), "2025-01-11", PIPL)).toBeNull();
  });

  it("flags a reminder N days before and overdue after the deadline, never once closed", () => {
    expect(deadlineFlags("2025-06-27", "2025-06-23", 3, false)).toEqual({ reminder: false, overdue: false });
    expect(deadlineFlags("2025-06-27", "2025-06-24", 3, false)).toEqual({ reminder: true, overdue: false });
    expect(deadlineFlags("2025-06-27", "2025-06-27", 3, false)).toEqual({ reminder: true, overdue: false });
    expect(deadlineFlags("2025-06-27", "2025-06-28", 3, false)).toEqual({ reminder: false, overdue: true });
    expect(deadlineFlags("2025-06-27", "2025-06-28", 3, true)).toEqual({ reminder: false, overdue: false });
  });

  it("dates a request in the firm's time zone", () => {
    expect(localDate(new Date("2025-06-06T16:30:00Z"), "Asia/Shanghai")).toBe("2025-06-07");
    expect(localDate(new Date("2025-06-06T15:59:59Z"), "Asia/Shanghai")).toBe("2025-06-06");
  });

  it("property: a due date never precedes the received date, under every regime", () => {
    fc.assert(
      fc.property(dates, fc.constantFrom(PIPL, GBT, GDPR), (received, regime) => {
        const due = dueDate(received, regime);
        expect(due > received).toBe(true);
        const extended = extendedDueDate(due, received, regime);
        if (extended !== null) expect(extended >= due).toBe(true);
      }),
    );
  });

  it("property: N working days later lands on a working day with exactly N working days between, none on a weekend", () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 1, max: 40 }), (from, n) => {
        const to = addWorkingDays(from, n);
        const weekday = new Date(`${to}T00:00:00Z`).getUTCDay();
        expect(weekday === 0 || weekday === 6).toBe(false);
        expect(workingDaysBetween(from, to)).toBe(n);
        // The calendar span is at least n days and at most n + 2 weekend days per started week.
        const span = (Date.parse(to) - Date.parse(from)) / 86_400_000;
        expect(span).toBeGreaterThanOrEqual(n);
        expect(span).toBeLessThanOrEqual(n + 2 * Math.ceil(n / 5) + 2);
      }),
    );
  });

  it("property: adding months keeps the day or clamps to the month's end", () => {
    fc.assert(
      fc.property(dates, fc.integer({ min: 0, max: 24 }), (from, n) => {
        const to = addMonths(from, n);
        expect(to >= from).toBe(true);
        const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
        const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
        expect((ty - fy) * 12 + (tm - fm)).toBe(n);
        expect(td === fd || (td < fd && addCalendarDays(to, 1).slice(8) === "01")).toBe(true);
      }),
    );
  });
});
