/** The firm's working week in a time zone: pure, so the off-hours rule is testable at any clock. */
export interface WorkingCalendar {
  readonly timeZone: string;
  /** ISO weekdays: 1 Monday … 7 Sunday. */
  readonly weekdays: readonly number[];
  /** "HH:MM", inclusive. */
  readonly start: string;
  /** "HH:MM", exclusive. */
  readonly end: string;
}

const WEEKDAY: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Local weekday (1–7) and minutes since local midnight of an instant in a time zone. */
export function localClock(at: string | Date, timeZone: string): { weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(at));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: WEEKDAY[get("weekday")] ?? 0, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isWithinWorkingHours(at: string | Date, calendar: WorkingCalendar): boolean {
  const { weekday, minutes } = localClock(at, calendar.timeZone);
  return calendar.weekdays.includes(weekday) && minutes >= toMinutes(calendar.start) && minutes < toMinutes(calendar.end);
}
