/**
 * Deadline arithmetic for client requests, pure and on calendar dates (`YYYY-MM-DD`). The day of
 * receipt is not counted: a period starts on the following day (the GDPR's own rule, Reg. 1182/71,
 * and the usual reading of "within N days" in PRC practice). Regimes are data (request_regimes);
 * nothing here knows a law's figures.
 */

export type DeadlineUnit = "working_days" | "calendar_days" | "months";

export interface Regime {
  readonly code: string;
  readonly unit: DeadlineUnit;
  readonly amount: number;
  readonly extension: { readonly unit: DeadlineUnit; readonly amount: number } | null;
  readonly reminderDays: number;
  /** False: an UNVERIFIED default, shown as such. */
  readonly verified: boolean;
}

/** Public holidays, and weekend days worked in their place (调休); both empty by default. */
export interface WorkCalendar {
  readonly holidays: ReadonlySet<string>;
  readonly workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: WorkCalendar = Object.freeze({ holidays: new Set<string>(), workdays: new Set<string>() });

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: string): Date {
  const m = DATE.exec(date);
  if (!m) throw new Error("not a YYYY-MM-DD date");
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== date) throw new Error("not a real date");
  return d;
}
const fromUtc = (d: Date): string => d.toISOString().slice(0, 10);

export function addCalendarDays(date: string, days: number): string {
  const d = toUtc(date);
  d.setUTCDate(d.getUTCDate() + days);
  return fromUtc(d);
}

/** The same day `months` later; a day the target month lacks becomes its last day (Jan 31 + 1 = Feb 28/29). */
export function addMonths(date: string, months: number): string {
  const d = toUtc(date);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
}

export function isWorkingDay(date: string, calendar: WorkCalendar = EMPTY_CALENDAR): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const weekday = toUtc(date).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `days`-th working day after `date` (the date itself never counts). */
export function addWorkingDays(date: string, days: number, calendar: WorkCalendar = EMPTY_CALENDAR): string {
  let current = date;
  for (let left = days; left > 0; ) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current, calendar)) left--;
  }
  return current;
}

/** Working days in the interval (from, to]. */
export function workingDaysBetween(from: string, to: string, calendar: WorkCalendar = EMPTY_CALENDAR): number {
  let count = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d, calendar)) count++;
  return count;
}

export function addPeriod(date: string, unit: DeadlineUnit, amount: number, calendar: WorkCalendar = EMPTY_CALENDAR): string {
  switch (unit) {
    case "working_days":
      return addWorkingDays(date, amount, calendar);
    case "calendar_days":
      return addCalendarDays(date, amount);
    case "months":
      return addMonths(date, amount);
  }
}

/** The last day on which the answer is on time. */
export const dueDate = (received: string, regime: Regime, calendar: WorkCalendar = EMPTY_CALENDAR): string =>
  addPeriod(received, regime.unit, regime.amount, calendar);

/**
 * The extended deadline counts from the original one (GDPR Art. 12(3): "a further two months").
 * Null when the regime allows no extension, or when the original deadline has passed: the subject
 * must be told of an extension within the first period.
 */
export function extendedDueDate(originalDue: string, today: string, regime: Regime, calendar: WorkCalendar = EMPTY_CALENDAR): string | null {
  if (!regime.extension || today > originalDue) return null;
  return addPeriod(originalDue, regime.extension.unit, regime.extension.amount, calendar);
}

export interface DeadlineFlags {
  /** Within the regime's reminder window before the deadline, and still open. */
  reminder: boolean;
  /** Past the deadline and still open. */
  overdue: boolean;
}

export function deadlineFlags(due: string, today: string, reminderDays: number, closed: boolean): DeadlineFlags {
  if (closed) return { reminder: false, overdue: false };
  const overdue = today > due;
  return { overdue, reminder: !overdue && today >= addCalendarDays(due, -reminderDays) };
}

/** The calendar date of an instant in the firm's time zone: a request received at 23:30 in Beijing counts from that day. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}
