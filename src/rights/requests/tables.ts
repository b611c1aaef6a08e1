/** Storage shapes of client requests and legal holds (migration 0007). */

export interface DbRequestRegime {
  code: string;
  name_zh: string;
  name_en: string;
  /** working_days | calendar_days | months */
  unit: string;
  amount: number;
  extension_unit: string | null;
  extension_amount: number | null;
  reminder_days: number;
  /** 0: an UNVERIFIED default the administrator must confirm. */
  verified: number;
  source: string;
  /** Set by the last edit (migration 0010); null for an untouched seed. */
  updated_at?: string | null;
  updated_by?: string | null;
}

export interface DbRequestCalendarDay {
  date: string;
  /** holiday | workday (a make-up working day on a weekend) */
  kind: string;
}

export interface DbFirmSetting {
  key: string;
  value: string;
  updated_at: string;
}

export interface DbClientRequest {
  id: string;
  type: string;
  /** received | verified | in_progress | extended | fulfilled | refused */
  status: string;
  regime: string;
  language: string;
  client_id: string | null;
  /** none | one | ambiguous */
  match: string;
  id_type: string | null;
  id_number_bidx: string | null;
  phone_bidx: string | null;
  email_bidx: string | null;
  /** phone | email: where the code went; null when it went nowhere. */
  code_channel: string | null;
  /** SHA-256 of the code. */
  code_hash: string | null;
  code_expires_at: string | null;
  code_attempts: number;
  code_used_at: string | null;
  /** SHA-256 of the portal token's secret. */
  token_hash: string | null;
  token_expires_at: string | null;
  verified_at: string | null;
  verified_by: string | null;
  /** code | staff */
  verification_method: string | null;
  /** A reference code for staff verification (form number …), never free text. */
  verification_evidence: string | null;
  details_ct: Buffer | null;
  received_at: string;
  received_date: string;
  due_date: string;
  extended_due_date: string | null;
  extension_reason: string | null;
  owner_id: string | null;
  outcome: string | null;
  /** JSON of codes and dates only. */
  outcome_details: string | null;
  closed_at: string | null;
  updated_at: string;
  /** The deadline (YYYY-MM-DD) a reminder was sent for (migration 0010): once per deadline. */
  reminded_for?: string | null;
  /** The deadline an overdue notice was sent for. */
  overdue_noticed_for?: string | null;
}

export interface DbClientRequestHistory {
  request_id: string;
  seq: number;
  status: string;
  at: string;
  actor_id: string | null;
  reason: string | null;
}

export interface DbPortalThrottle {
  key: string;
  window_start: string;
  count: number;
}

export interface DbPortalProof {
  id: string;
  expires_at: string;
}

export interface DbProcessingRestriction {
  client_id: string;
  request_id: string | null;
  restricted_at: string;
  restricted_by: string;
  /** JSON array of the purposes in force before the restriction (migration 0010); null if older. */
  previous_purposes?: string | null;
}

/** A restriction that ended (migration 0010): when, why (a code), and the purposes restored. */
export interface DbProcessingRestrictionLift {
  id: string;
  client_id: string;
  request_id: string | null;
  restricted_at: string;
  restricted_by: string;
  restored_purposes: string;
  reason: string;
  reference: string | null;
  lifted_at: string;
  lifted_by: string;
}

export interface DbLegalHold {
  id: string;
  client_id: string;
  custodian_id: string;
  reason: string;
  reference: string | null;
  review_date: string;
  placed_by: string;
  placed_at: string;
  lifted_at: string | null;
  lifted_by: string | null;
  lift_reason: string | null;
}

export interface RequestTables {
  request_regimes: DbRequestRegime;
  request_calendar_days: DbRequestCalendarDay;
  firm_settings: DbFirmSetting;
  client_requests: DbClientRequest;
  client_request_history: DbClientRequestHistory;
  portal_throttles: DbPortalThrottle;
  portal_proofs: DbPortalProof;
  processing_restrictions: DbProcessingRestriction;
  processing_restriction_lifts: DbProcessingRestrictionLift;
  legal_holds: DbLegalHold;
}
