import { describe, expect, it } from "vitest";
import { isWithinWorkingHours, localClock } from "./working-hours.js";

const SHANGHAI = { timeZone: "Asia/Shanghai", weekdays: [1, 2, 3, 4, 5], start: "08:00", end: "20:00" };

describe("working hours", () => {
  it("reads the clock in the firm's time zone, not UTC", () => {
    // Monday 2026-03-02 00:30 UTC is 08:30 in Shanghai.
    expect(localClock("2026-03-02T00:30:00Z", "Asia/Shanghai")).toEqual({ weekday: 1, minutes: 8 * 60 + 30 });
    expect(isWithinWorkingHours("2026-03-02T00:30:00Z", SHANGHAI)).toBe(true);
    // Sunday 23:59 UTC is already Monday 07:59 in Shanghai: still before hours.
    expect(isWithinWorkingHours("2026-03-01T23:59:00Z", SHANGHAI)).toBe(false);
  });

  it("treats the start as inclusive and the end as exclusive", () => {
    expect(isWithinWorkingHours("2026-03-04T11:59:00Z", SHANGHAI)).toBe(true); // 19:59 Wednesday
    expect(isWithinWorkingHours("2026-03-04T12:00:00Z", SHANGHAI)).toBe(false); // 20:00
  });

  it("knows the weekend", () => {
    expect(isWithinWorkingHours("2026-03-07T04:00:00Z", SHANGHAI)).toBe(false); // Saturday noon
    expect(isWithinWorkingHours("2026-03-07T04:00:00Z", { ...SHANGHAI, weekdays: [6] })).toBe(true);
  });
});
