import { describe, expect, it } from "vitest";
import { authorizeStaffCalendar } from "../../access/policy/policy.js";
import { checkCalendar, compileCalendar, isWithinStaffCalendar, parseHoursSpec, type StaffCalendarInput } from "./staff-calendar.js";

const compiled = (c: StaffCalendarInput) => {
  const checked = checkCalendar(c);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return compileCalendar(checked.calendar);
};

describe("staff working calendars", () => {
  it("judges an instant on the user's own clock, with split spans, leave and extra days", () => {
    const cal = compiled({
      timeZone: "Asia/Shanghai",
      hours: [
        { weekday: 1, start: "22:00", end: "24:00" },
        { weekday: 2, start: "00:00", end: "06:00" },
        { weekday: 3, start: "09:00", end: "12:00" },
        { weekday: 3, start: "14:00", end: "18:00" },
      ],
      exceptions: [
        { date: "2026-03-11", kind: "leave" },
        { date: "2026-03-07", kind: "work", start: "10:00", end: "11:00" },
      ],
    });
    expect(isWithinStaffCalendar("2026-03-02T15:30:00Z", cal)).toBe(true); // Monday 23:30
    expect(isWithinStaffCalendar("2026-03-02T21:59:00Z", cal)).toBe(true); // Tuesday 05:59
    expect(isWithinStaffCalendar("2026-03-02T22:00:00Z", cal)).toBe(false); // Tuesday 06:00: end exclusive
    expect(isWithinStaffCalendar("2026-03-04T05:00:00Z", cal)).toBe(false); // Wednesday 13:00: the lunch gap
    expect(isWithinStaffCalendar("2026-03-04T06:00:00Z", cal)).toBe(true); // Wednesday 14:00
    expect(isWithinStaffCalendar("2026-03-11T06:00:00Z", cal)).toBe(false); // Wednesday, on leave
    expect(isWithinStaffCalendar("2026-03-07T02:30:00Z", cal)).toBe(true); // Saturday 10:30, an extra day
  });

  it("reads the local date, not the UTC one, for exceptions", () => {
    const cal = compiled({
      timeZone: "Europe/Berlin",
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "00:00", end: "24:00" })),
      exceptions: [{ date: "2026-12-24", kind: "leave" }],
    });
    expect(isWithinStaffCalendar("2026-12-23T23:30:00Z", cal)).toBe(false); // already 24 Dec in Berlin
    expect(isWithinStaffCalendar("2026-12-23T23:30:00Z", { ...cal, timeZone: "UTC" })).toBe(true);
  });

  it("refuses what cannot be a calendar, with field paths and codes", () => {
    const r = checkCalendar({
      timeZone: "Mars/Olympus",
      hours: [
        { weekday: 8, start: "09:00", end: "18:00" },
        { weekday: 1, start: "18:00", end: "09:00" },
        { weekday: 1, start: "24:00", end: "24:00" },
      ],
      exceptions: [
        { date: "2026-02-30", kind: "leave" },
        { date: "2026-03-01", kind: "leave" },
        { date: "2026-03-01", kind: "work", start: "9:00", end: "10:00" },
      ],
    });
    expect(r.ok ? [] : r.issues.map((i) => `${i.field}:${i.code}`)).toEqual([
      "timeZone:unknown_time_zone",
      "hours.0.weekday:invalid_value",
      "hours.1.end:end_before_start",
      "hours.2.start:format",
      "exceptions.0.date:format",
      "exceptions.2.date:duplicate",
      "exceptions.2.start:format",
    ]);
  });

  it("parses the CLI's hours", () => {
    expect(parseHoursSpec("1-5 09:00-18:00")?.map((s) => s.weekday)).toEqual([1, 2, 3, 4, 5]);
    expect(parseHoursSpec("6,7 10:00-12:00")).toEqual([
      { weekday: 6, start: "10:00", end: "12:00" },
      { weekday: 7, start: "10:00", end: "12:00" },
    ]);
    expect(parseHoursSpec("5-1 09:00-18:00")).toBeNull();
    expect(parseHoursSpec("weekdays")).toBeNull();
  });

  it("policy: admins and compliance set; the user reads their own", () => {
    expect(authorizeStaffCalendar({ userId: "a", role: "admin" }, "write", "x").effect).toBe("allow");
    expect(authorizeStaffCalendar({ userId: "c", role: "compliance" }, "write", "x").effect).toBe("allow");
    expect(authorizeStaffCalendar({ userId: "x", role: "lawyer" }, "read", "x").effect).toBe("allow");
    expect(authorizeStaffCalendar({ userId: "x", role: "lawyer" }, "write", "x")).toEqual({ effect: "deny", reason: "role_lacks_permission" });
    expect(authorizeStaffCalendar({ userId: "p", role: "partner" }, "read", "x").effect).toBe("deny");
    expect(authorizeStaffCalendar({ userId: "au", role: "auditor" }, "read", "x").effect).toBe("deny");
  });
});
