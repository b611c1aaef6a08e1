/**
 * ISO weeks (Monday to Sunday) in the firm's time zone, for the KPI charts: a week's bounds are the
 * instants of local midnight starting its Monday and the next Monday, as for months and quarters
 * (period.ts), so an alert raised at 23:30 on a Sunday in Beijing counts in that week though it is
 * 15:30 UTC.
 */
import { addCalendarDays, localDate } from "../../rights/requests/deadlines.js";
import { localMidnight, type Span } from "./period.js";

export interface Week extends Span {
  /** ISO-8601 week label, `2026-W27` (the year is the week's Thursday's). */
  label: string;
}

const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The Monday of the ISO week holding a local day. */
export const mondayOf = (day: string): string => addCalendarDays(day, -((weekday(day) + 6) % 7));

/** `2026-W27` for the week starting on a Monday. */
export function isoWeekLabel(monday: string): string {
  const thursday = addCalendarDays(monday, 3);
  const year = thursday.slice(0, 4);
  const dayOfYear = (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${year}-01-01T00:00:00Z`)) / 86_400_000;
  return `${year}-W${String(Math.floor(dayOfYear / 7) + 1).padStart(2, "0")}`;
}

/** The week starting on a Monday, bounded in `timeZone`. */
export function weekFrom(monday: string, timeZone: string): Week {
  const endDay = addCalendarDays(monday, 7);
  return { label: isoWeekLabel(monday), firstDay: monday, endDay, from: localMidnight(monday, timeZone), to: localMidnight(endDay, timeZone) };
}

/** `count` consecutive weeks ending with the one holding `now` in `timeZone`, oldest first. */
export function weeksEndingAt(now: Date, count: number, timeZone: string): Week[] {
  const current = mondayOf(localDate(now, timeZone));
  return Array.from({ length: count }, (_, i) => weekFrom(addCalendarDays(current, 7 * (i - count + 1)), timeZone));
}
