/**
 * A staff member's own working calendar (issue #6): the off-hours rule judges a user's access by
 * "outside working hours for the user's calendar" when the user has one, and by the rule's
 * firm-wide hours otherwise. Pure: validation and the in-hours test, testable at any clock.
 *
 * A calendar is a time zone, weekly spans (several per weekday allowed: split or night shifts; a
 * shift over midnight is two spans, "22:00–24:00" and the next weekday's "00:00–06:00") and dated
 * exceptions, read on the user's local date: `leave` (no access expected that day) or `work` (these
 * hours that day instead of the weekly ones: an extra working day, or a changed one).
 */
import { localTime, toMinutes } from "./working-hours.js";
import type { FieldIssue } from "../../platform/errors.js";

export interface WorkingSpan {
  /** ISO weekday: 1 Monday … 7 Sunday. */
  readonly weekday: number;
  /** "HH:MM", inclusive. */
  readonly start: string;
  /** "HH:MM" or "24:00", exclusive; after start. */
  readonly end: string;
}

export type CalendarException =
  | { readonly date: string; readonly kind: "leave" }
  | { readonly date: string; readonly kind: "work"; readonly start: string; readonly end: string };

export interface StaffCalendar {
  readonly userId: string;
  readonly timeZone: string;
  readonly hours: readonly WorkingSpan[];
  readonly exceptions: readonly CalendarException[];
  readonly updatedAt: string;
  readonly updatedBy: string;
}

export type StaffCalendarInput = Pick<StaffCalendar, "timeZone" | "hours" | "exceptions">;

export const MAX_SPANS = 28;
export const MAX_EXCEPTIONS = 400;

const CLOCK = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isTimeZone(tz: string): boolean {
  if (tz.length < 1 || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const isDate = (d: string) => DATE.test(d) && new Date(`${d}T00:00:00.000Z`).toISOString().startsWith(d);

function spanIssues(span: { start: string; end: string }, at: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!CLOCK.test(span.start) || span.start === "24:00") issues.push({ field: `${at}.start`, code: "format", message: "HH:MM, 00:00 to 23:59." });
  if (!CLOCK.test(span.end)) issues.push({ field: `${at}.end`, code: "format", message: "HH:MM, 00:01 to 24:00." });
  if (!issues.length && toMinutes(span.end) <= toMinutes(span.start))
    issues.push({ field: `${at}.end`, code: "end_before_start", message: "The end must be after the start (a shift over midnight is two spans)." });
  return issues;
}

/**
 * Checks a calendar as a whole (the route's schema has checked the shapes); returns it normalised:
 * spans sorted by weekday and start, exceptions by date. Messages are fixed text, never input.
 */
export function checkCalendar(input: StaffCalendarInput): { ok: true; calendar: StaffCalendarInput } | { ok: false; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (!isTimeZone(input.timeZone)) issues.push({ field: "timeZone", code: "unknown_time_zone", message: "Not an IANA time zone name this server knows." });
  if (input.hours.length > MAX_SPANS) issues.push({ field: "hours", code: "too_big", message: `At most ${MAX_SPANS} spans.` });
  input.hours.forEach((span, i) => {
    if (!Number.isInteger(span.weekday) || span.weekday < 1 || span.weekday > 7)
      issues.push({ field: `hours.${i}.weekday`, code: "invalid_value", message: "1 (Monday) to 7 (Sunday)." });
    issues.push(...spanIssues(span, `hours.${i}`));
  });
  if (input.exceptions.length > MAX_EXCEPTIONS) issues.push({ field: "exceptions", code: "too_big", message: `At most ${MAX_EXCEPTIONS} exceptions.` });
  const seen = new Set<string>();
  input.exceptions.forEach((ex, i) => {
    if (!isDate(ex.date)) issues.push({ field: `exceptions.${i}.date`, code: "format", message: "YYYY-MM-DD." });
    else if (seen.has(ex.date)) issues.push({ field: `exceptions.${i}.date`, code: "duplicate", message: "One exception per date." });
    seen.add(ex.date);
    if (ex.kind === "work") issues.push(...spanIssues(ex, `exceptions.${i}`));
    else if (ex.kind !== "leave") issues.push({ field: `exceptions.${i}.kind`, code: "invalid_value", message: "leave or work." });
  });
  if (issues.length) return { ok: false, issues };
  const hours = input.hours.map(({ weekday, start, end }) => ({ weekday, start, end })).sort((a, b) => a.weekday - b.weekday || a.start.localeCompare(b.start));
  const exceptions = input.exceptions
    .map((ex): CalendarException => (ex.kind === "work" ? { date: ex.date, kind: "work", start: ex.start, end: ex.end } : { date: ex.date, kind: "leave" }))
    .sort((a, b) => a.date.localeCompare(b.date));
  return { ok: true, calendar: { timeZone: input.timeZone, hours, exceptions } };
}

/**
 * A calendar ready for the hot path: spans in minutes per weekday, exceptions by date. Built once
 * per cache load, so judging an event is a formatter call (cached per zone and minute) and lookups.
 */
export interface CompiledCalendar {
  readonly timeZone: string;
  readonly weekly: ReadonlyMap<number, readonly (readonly [number, number])[]>;
  readonly exceptions: ReadonlyMap<string, readonly (readonly [number, number])[]>;
}

export function compileCalendar(calendar: StaffCalendarInput): CompiledCalendar {
  const weekly = new Map<number, (readonly [number, number])[]>();
  for (const s of calendar.hours) weekly.set(s.weekday, [...(weekly.get(s.weekday) ?? []), [toMinutes(s.start), toMinutes(s.end)] as const]);
  const exceptions = new Map<string, (readonly [number, number])[]>();
  for (const ex of calendar.exceptions) exceptions.set(ex.date, ex.kind === "leave" ? [] : [[toMinutes(ex.start), toMinutes(ex.end)] as const]);
  return { timeZone: calendar.timeZone, weekly, exceptions };
}

/** Whether an instant falls in the user's working hours, read on the user's own wall clock. */
export function isWithinStaffCalendar(at: string | Date, calendar: CompiledCalendar): boolean {
  const { date, weekday, minutes } = localTime(at, calendar.timeZone);
  const spans = calendar.exceptions.get(date) ?? calendar.weekly.get(weekday) ?? [];
  return spans.some(([start, end]) => minutes >= start && minutes < end);
}

/** Parses `--hours "1-5 09:00-18:00"` (weekday list or range, then a span), as the CLI accepts it. */
export function parseHoursSpec(spec: string): WorkingSpan[] | null {
  const m = /^\s*([1-7](?:-[1-7])?(?:,[1-7](?:-[1-7])?)*)\s+(\d{2}:\d{2})-(\d{2}:\d{2})\s*$/.exec(spec);
  if (!m) return null;
  const days = new Set<number>();
  for (const part of m[1]!.split(",")) {
    const [from, to = from] = part.split("-").map(Number) as [number, number?];
    if (to! < from) return null;
    for (let d = from; d <= to!; d++) days.add(d);
  }
  return [...days].sort().map((weekday) => ({ weekday, start: m[2]!, end: m[3]! }));
}
