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

  it("answers each instant and zone on its own, even within one minute", () => {
    expect(localClock("2026-03-02T00:30:10Z", "Asia/Shanghai")).toEqual({ weekday: 1, minutes: 8 * 60 + 30 });
    // Same UTC minute, another zone: India is UTC+05:30.
    expect(localClock("2026-03-02T00:30:50Z", "Asia/Kolkata")).toEqual({ weekday: 1, minutes: 6 * 60 });
    const clock = localClock("2026-03-02T00:31:00Z", "Asia/Shanghai");
    clock.minutes = 0; // a caller changing its answer does not change the next one
    expect(localClock("2026-03-02T00:31:30Z", "Asia/Shanghai")).toEqual({ weekday: 1, minutes: 8 * 60 + 31 });
    // Before 1901 Shanghai kept local mean time (+08:05:43): the same UTC minute spans two local ones.
    expect(localClock("1900-01-01T00:00:10Z", "Asia/Shanghai").minutes).toBe(8 * 60 + 5);
    expect(localClock("1900-01-01T00:00:20Z", "Asia/Shanghai").minutes).toBe(8 * 60 + 6);
  });

  it("knows the weekend", () => {
    expect(isWithinWorkingHours("2026-03-07T04:00:00Z", SHANGHAI)).toBe(false); // Saturday noon
    expect(isWithinWorkingHours("2026-03-07T04:00:00Z", { ...SHANGHAI, weekdays: [6] })).toBe(true);
  });
});
