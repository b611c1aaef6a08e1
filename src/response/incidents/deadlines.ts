/**
 * Notification deadlines (INC-2) from regimes stored as data. Pure: times are UTC ISO strings in
 * storage; display converts to the regime's zone (Asia/Shanghai for PRC duties, a European zone
 * such as Europe/Berlin for GDPR), with the offset shown so a DST change cannot mislead.
 */
import { severityRank, type Severity } from "../detection/rules.js";

export interface Regime {
  readonly code: string;
  readonly recipient: string;
  readonly hours: number;
  readonly minSeverity: Severity;
  /** always | eu_subjects */
  readonly appliesWhen: string;
  readonly displayTimeZone: string;
  readonly verified: boolean;
  readonly active: boolean;
}

export interface DutyPlan {
  readonly regimeCode: string;
  readonly recipient: string;
  readonly dueAt: string;
  readonly displayTimeZone: string;
}

/** Adds hours to an instant: elapsed time, so a DST change in the display zone does not move it. */
export const addHours = (iso: string, hours: number): string => new Date(Date.parse(iso) + Math.round(hours * 3_600_000)).toISOString();

/** The duties an incident of this grade owes, due from the moment the firm became aware. */
export function dutiesFor(regimes: readonly Regime[], incident: { severity: Severity; euSubjects: boolean; awareAt: string }): DutyPlan[] {
  return regimes
    .filter(
      (r) =>
        r.active &&
        severityRank(incident.severity) >= severityRank(r.minSeverity) &&
        (r.appliesWhen === "always" || (r.appliesWhen === "eu_subjects" && incident.euSubjects)),
    )
    .map((r) => ({ regimeCode: r.code, recipient: r.recipient, dueAt: addHours(incident.awareAt, r.hours), displayTimeZone: r.displayTimeZone }));
}

/** Milliseconds left (negative once late) and whether the duty is overdue. */
export function countdown(dueAt: string, now: string, done: boolean): { remainingMs: number; overdue: boolean } {
  const remainingMs = Date.parse(dueAt) - Date.parse(now);
  return { remainingMs, overdue: !done && remainingMs < 0 };
}

/** "2026-04-01 01:30 +02:00": the local wall-clock time with its UTC offset. */
export function formatInZone(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "longOffset",
  }).formatToParts(new Date(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = get("timeZoneName").replace("GMT", "") || "+00:00";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")} ${offset}`;
}
