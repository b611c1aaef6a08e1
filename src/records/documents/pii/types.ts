/** What the PII detector reports: kinds, spans and confidence, never the values themselves. */

export const PII_TYPES = [
  "resident_id",
  "residence_permit",
  "uscc",
  "mobile",
  "landline",
  "bank_card",
  "hk_id",
  "macau_id",
  "taiwan_id",
  "hk_macau_travel_permit",
  "taiwan_travel_permit",
  "exit_entry_permit",
  "passport",
  "email",
  "person_name",
  "address",
] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** Types confirmed by a check character (or Luhn); the benchmark holds these to ≥ 99.5%. */
export const CHECKSUM_TYPES: readonly PiiType[] = ["resident_id", "residence_permit", "uscc", "bank_card", "hk_id", "taiwan_id"];

export type Confidence = "high" | "medium" | "low";

/**
 * One finding: UTF-16 offsets into the text as given (before normalisation), so a redaction can remove
 * exactly [start, end). `validated` is true only when a check character or Luhn digit confirmed it.
 */
export interface PiiFinding {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly confidence: Confidence;
  readonly validated: boolean;
}

/** Counts per type; safe to store or log (no values, no offsets). */
export type PiiSummary = Partial<Record<PiiType, { count: number; high: number; medium: number; low: number }>>;

export interface PiiScan {
  readonly findings: readonly PiiFinding[];
  readonly summary: PiiSummary;
}
