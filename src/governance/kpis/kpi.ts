/**
 * The KPI vocabulary (GOV-6): which figures the firm measures itself by, which way is better, and
 * the default targets the firm then edits as data (table `kpi_targets`, migration 0034).
 */
import { ValidationError } from "../../platform/errors.js";

export const KPI_CODES = [
  "approval_compliance",
  "leak_incident_rate",
  "encryption_coverage",
  "training_completion",
  "acknowledgement_completion",
  "requests_on_time",
  "access_review_completion",
] as const;
export type KpiCode = (typeof KPI_CODES)[number];

/** `at_least`: met when value ≥ target (a share to reach); `at_most`: met when value ≤ target (a rate to stay under). */
export type KpiDirection = "at_least" | "at_most";

/** Targets are stored as parts per million (1,000,000 = 100%): integers compare alike on both engines. */
export const PPM = 1_000_000;

export const KPI_DEFINITIONS: Readonly<Record<KpiCode, { direction: KpiDirection; defaultTargetPpm: number }>> = Object.freeze({
  approval_compliance: { direction: "at_least", defaultTargetPpm: PPM },
  leak_incident_rate: { direction: "at_most", defaultTargetPpm: 5_000 },
  encryption_coverage: { direction: "at_least", defaultTargetPpm: PPM },
  training_completion: { direction: "at_least", defaultTargetPpm: PPM },
  acknowledgement_completion: { direction: "at_least", defaultTargetPpm: PPM },
  requests_on_time: { direction: "at_least", defaultTargetPpm: PPM },
  access_review_completion: { direction: "at_least", defaultTargetPpm: PPM },
});

export const isKpiCode = (value: string): value is KpiCode => (KPI_CODES as readonly string[]).includes(value);

/** What a drill-down row points at; the console links each kind to its screen. */
export type KpiRecordType = "audit_event" | "incident" | "client" | "document" | "client_request" | "access_review_item" | "training_assignment";

/**
 * One record behind a figure: ids and codes only, never a client's name. `reference` is a
 * non-personal label (a short id with a prefix, an action code); `counted` says whether the record
 * is in the numerator (true) or only in the denominator (false); `detail` is a code saying why.
 */
export interface KpiRecord {
  type: KpiRecordType;
  id: string;
  reference: string;
  /** The record's own date for the figure (when it happened or fell due), ISO-8601 or YYYY-MM-DD. */
  at: string | null;
  counted: boolean;
  detail: string;
  /** The record's parent for the console link (a document's client, an item's campaign), else null. */
  parentId: string | null;
}

export interface KpiFigure {
  code: KpiCode;
  /** numerator / denominator; null when the denominator is 0 (nothing to measure). */
  value: number | null;
  numerator: number;
  denominator: number;
  /** A share, 0..1 (0.005 = 0.5%). */
  target: number;
  direction: KpiDirection;
  /** Whether the value meets the target; null when there is no value. */
  met: boolean | null;
  /** What the numerator and denominator count, as codes (e.g. `leak_incidents` / `clients`). */
  counts: { numerator: string; denominator: string };
}

export function figure(code: KpiCode, numerator: number, denominator: number, targetPpm: number, counts: KpiFigure["counts"]): KpiFigure {
  const { direction } = KPI_DEFINITIONS[code];
  const value = denominator > 0 ? numerator / denominator : null;
  const target = targetPpm / PPM;
  // Compared in integers (numerator × 1e6 against target × denominator): no float rounding decides "met".
  const met = value === null ? null : direction === "at_least" ? numerator * PPM >= targetPpm * denominator : numerator * PPM <= targetPpm * denominator;
  return { code, value, numerator, denominator, target, direction, met, counts };
}

/** A short, non-personal reference for a record: a prefix and the random tail of its UUIDv7 id. */
export const referenceOf = (prefix: string, id: string) => `${prefix}-${id.replace(/-/g, "").slice(-8).toUpperCase()}`;

export const PeriodInvalidError = (field: string) =>
  ValidationError([{ field, code: "format", message: "Give a month as YYYY-MM or a quarter as YYYY-Qn (years 2000–2099)." }]);
