/**
 * KPI periods (GOV-6): a calendar month (`2026-11`) or quarter (`2026-Q4`) in the firm's time zone.
 * A period's bounds are the instants of local midnight on its first day and on the first day after
 * it, so a request closed at 23:30 in Beijing on 31 December counts in Q4 though it is 15:30 UTC.
 */
import { localDate } from "../../rights/requests/deadlines.js";

export type PeriodKind = "month" | "quarter";

export interface Period {
  /** `2026-11` or `2026-Q4`. */
  label: string;
  kind: PeriodKind;
  /** First local day, YYYY-MM-DD. */
  firstDay: string;
  /** First local day after the period, YYYY-MM-DD (exclusive). */
  endDay: string;
  /** Local midnight of firstDay, as an ISO-8601 UTC instant. */
  from: string;
  /** Local midnight of endDay, as an ISO-8601 UTC instant (exclusive). */
  to: string;
}

/** What a measure needs of a period: its local days and instants. A week (weeks.ts) is one too. */
export type Span = Pick<Period, "firstDay" | "endDay" | "from" | "to">;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const QUARTER = /^(\d{4})-Q([1-4])$/;

/** A period label's shape: `YYYY-MM` or `YYYY-Qn`, years 2000–2099. */
export const PERIOD_PATTERN = /^20\d{2}-(0[1-9]|1[0-2]|Q[1-4])$/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const dayOf = (year: number, month: number) => `${pad(year, 4)}-${pad(month)}-01`;

/**
 * The UTC instant of local midnight starting `day` in `timeZone`. The zone's offset is read at a
 * first guess and read again at the result, which settles it across a DST change (none in China).
 */
export function localMidnight(day: string, timeZone: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let at = wall;
  for (let i = 0; i < 2; i++) at = wall - offsetAt(at, timeZone);
  return new Date(at).toISOString();
}

/** The zone's offset from UTC at an instant, in milliseconds (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return local - Math.floor(at / 1000) * 1000;
}

/** Parses a period label; null when it is not one. */
export function parsePeriod(label: string, timeZone: string): Period | null {
  const month = MONTH.exec(label);
  const quarter = QUARTER.exec(label);
  if (!month && !quarter) return null;
  const year = Number((month ?? quarter)![1]);
  if (year < 2000 || year > 2099) return null;
  const firstMonth = month ? Number(month[2]) : (Number(quarter![2]) - 1) * 3 + 1;
  const months = month ? 1 : 3;
  const after = firstMonth + months;
  const firstDay = dayOf(year, firstMonth);
  const endDay = after > 12 ? dayOf(year + 1, after - 12) : dayOf(year, after);
  return { label, kind: month ? "month" : "quarter", firstDay, endDay, from: localMidnight(firstDay, timeZone), to: localMidnight(endDay, timeZone) };
}

/** The label of the period of `kind` holding the instant `at` in the firm's time zone. */
export function periodLabelAt(at: Date, kind: PeriodKind, timeZone: string): string {
  const [y, m] = localDate(at, timeZone).split("-").map(Number) as [number, number];
  return kind === "month" ? `${pad(y, 4)}-${pad(m)}` : `${pad(y, 4)}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** The label `steps` periods before (negative) or after (positive) `label`. */
export function shiftPeriod(label: string, steps: number): string {
  const quarter = QUARTER.exec(label);
  if (quarter) {
    const index = Number(quarter[1]) * 4 + Number(quarter[2]) - 1 + steps;
    return `${pad(Math.floor(index / 4), 4)}-Q${(index % 4) + 1}`;
  }
  const month = MONTH.exec(label);
  if (!month) throw new Error("not a period label");
  const index = Number(month[1]) * 12 + Number(month[2]) - 1 + steps;
  return `${pad(Math.floor(index / 12), 4)}-${pad((index % 12) + 1)}`;
}

/** `count` consecutive periods ending with `last`, oldest first. */
export function periodsEndingWith(last: Period, count: number, timeZone: string): Period[] {
  return Array.from({ length: count }, (_, i) => parsePeriod(shiftPeriod(last.label, i - count + 1), timeZone)!);
}

/** The months of a quarter (or the month itself). */
export function monthsOf(period: Period, timeZone: string): Period[] {
  if (period.kind === "month") return [period];
  const first = period.firstDay.slice(0, 7);
  return [0, 1, 2].map((i) => parsePeriod(shiftPeriod(first, i), timeZone)!);
}
