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

// Building a formatter costs far more than using one (it loads the zone's rules), and the
// off-hours rule asks for every audited event: one formatter per time zone, kept.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** An instant read on a wall clock: local date, ISO weekday (1–7) and minutes since local midnight. */
export interface LocalTime {
  date: string;
  weekday: number;
  minutes: number;
}

// Every zone's offset has been a whole number of minutes since 1972, so from then on one UTC
// minute is one local minute: a burst of events in the same minute is formatted once per zone
// (staff calendars bring several zones into one stream, so the last minute is kept per zone).
const WHOLE_MINUTE_OFFSETS_FROM = Date.UTC(1973, 0, 1);
const lastMinute = new Map<string, { minute: number; time: LocalTime }>();

/** The local date, weekday and minutes since local midnight of an instant in a time zone. */
export function localTime(at: string | Date, timeZone: string): LocalTime {
  const date = new Date(at);
  const ms = date.getTime();
  const minute = Math.floor(ms / 60_000);
  const last = lastMinute.get(timeZone);
  if (last && last.minute === minute && ms >= WHOLE_MINUTE_OFFSETS_FROM) return { ...last.time };
  const parts = formatterFor(timeZone).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const time = {
    date: `${get("year")}-${get("month")}-${get("day")}`,
    weekday: WEEKDAY[get("weekday")] ?? 0,
    minutes: Number(get("hour")) * 60 + Number(get("minute")),
  };
  // Bounded by the zones in use (the firm's and its staff's), which the runtime's zone list bounds.
  lastMinute.set(timeZone, { minute, time });
  return { ...time };
}

/** Local weekday (1–7) and minutes since local midnight of an instant in a time zone. */
export function localClock(at: string | Date, timeZone: string): { weekday: number; minutes: number } {
  const { weekday, minutes } = localTime(at, timeZone);
  return { weekday, minutes };
}

export const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isWithinWorkingHours(at: string | Date, calendar: WorkingCalendar): boolean {
  const { weekday, minutes } = localClock(at, calendar.timeZone);
  return calendar.weekdays.includes(weekday) && minutes >= toMinutes(calendar.start) && minutes < toMinutes(calendar.end);
}
