/**
 * Storage shapes, as Kysely sees them. Prefixed `Db…` to keep them apart from domain types.
 * Times are ISO-8601 UTC strings in both engines, so rows compare and hash identically.
 */
import type {
  DbAccessGrant,
  DbApprovalDecision,
  DbApprovalRequest,
  DbBreakGlassAccess,
  DbBreakGlassReview,
  DbStaffAgreement,
  DbStaffTraining,
} from "./approvals-schema.js";
export type {
  DbAccessGrant,
  DbApprovalDecision,
  DbApprovalRequest,
  DbBreakGlassAccess,
  DbBreakGlassReview,
  DbStaffAgreement,
  DbStaffTraining,
} from "./approvals-schema.js";
import type { RequestTables } from "./requests-schema.js";
export type * from "./requests-schema.js";
import type { DetectionTables } from "./detection-schema.js";
export type * from "./detection-schema.js";
import type { RetentionTables } from "./retention-schema.js";
export type * from "./retention-schema.js";
import type { NotificationTables } from "./notifications-schema.js";
import type { PasskeyTables } from "./passkeys-schema.js";
import type { IncidentEvidenceTables } from "./incidents-evidence-schema.js";
import type { StaffCalendarTables } from "./staff-calendars-schema.js";
export type * from "./staff-calendars-schema.js";
export type * from "./notifications-schema.js";
import type { AccessReviewTables } from "./access-reviews-schema.js";
export type * from "./access-reviews-schema.js";

export interface DbKeyVersion {
  version: number;
  wrapped_key: Buffer;
  created_at: string;
  retired_at: string | null;
}

export interface DbDataKey {
  client_id: string;
  dek_version: number;
  kek_version: number;
  /** NULL once crypto-shredded. */
  wrapped_key: Buffer | null;
  created_at: string;
  destroyed_at: string | null;
}

export interface DbClient {
  id: string;
  kind: string;
  id_type: string | null;
  purposes: string;
  name_ct: Buffer | null;
  id_number_ct: Buffer | null;
  phone_ct: Buffer | null;
  email_ct: Buffer | null;
  address_ct: Buffer | null;
  birth_date_ct: Buffer | null;
  notes_ct: Buffer | null;
  name_bidx: string | null;
  id_number_bidx: string | null;
  phone_bidx: string | null;
  email_bidx: string | null;
  status: string;
  row_version: number;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  /** The creating user; null for imports and rows from before matters existed. */
  created_by: string | null;
}

export interface DbPurpose {
  code: string;
  name_zh: string;
  name_en: string;
  description_en: string;
  active: number;
  /** PIPL Art. 13 basis, a code from LEGAL_BASES (src/rights/consent/legal-basis.ts). */
  legal_basis: string;
  /** 1: L4 fields need a separate consent under this purpose even when its basis is not consent. */
  requires_separate_consent_for_sensitive: number;
}

export interface DbUser {
  id: string;
  email: string;
  display_name: string;
  role: string;
  password_hash: string | null;
  status: string;
  created_at: string;
  disabled_at: string | null;
  /** The direct superior, who fills the supervisor slot of four-eyes approvals (APR-2). */
  supervisor_id: string | null;
}

export interface DbApiToken {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  /** Who issued it: a user id, `system:console` (the CLI), or null when unknown (migration 0016). */
  created_by: string | null;
  /** Recorded at most once a minute per token. */
  last_used_at: string | null;
}

export interface DbAuditEvent {
  seq: number;
  id: string;
  at: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  purpose: string | null;
  outcome: string;
  reason: string | null;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface DbAuditCheckpoint {
  seq: number;
  head_hash: string;
  signed_at: string;
  public_key: string;
  signature: string;
}

export interface DbSession {
  id: string;
  user_id: string;
  /** full | mfa (password done, TOTP pending) | enrolment (may only enrol TOTP) */
  kind: string;
  secret_hash: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  absolute_expires_at: string;
  revoked_at: string | null;
  /** A short summary such as "Firefox 128 on Windows", never the full header. */
  user_agent: string | null;
  ip: string | null;
}

export interface DbTotpEnrolment {
  user_id: string;
  secret_ct: Buffer;
  created_at: string;
  confirmed_at: string | null;
  /** The last accepted RFC 6238 time step; a code at or before it is a replay. */
  last_step: number | null;
}

export interface DbRecoveryCode {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: string;
  used_at: string | null;
}

export interface DbSignInThrottle {
  key: string;
  failures: number;
  lockouts: number;
  locked_until: string | null;
  updated_at: string;
}

export interface DbMatter {
  id: string;
  client_id: string;
  /** e.g. 2026-民-0001; unique. */
  number: string;
  /** Sealed with the client's data key (table "matters", field "title"); null once shredded. */
  title_ct: Buffer | null;
  practice_area: string;
  /** open | closed */
  status: string;
  responsible_partner_id: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface DbMatterMember {
  matter_id: string;
  user_id: string;
  /** lead | member | observer */
  role: string;
  added_at: string;
}

export interface DbEthicalWall {
  id: string;
  /** A code from WALL_REASONS; never free text. */
  reason: string;
  reference: string | null;
  owner_id: string;
  created_by: string;
  created_at: string;
  lifted_at: string | null;
}

export interface DbWallSubject {
  wall_id: string;
  /** client | matter */
  kind: string;
  subject_id: string;
}

export interface DbWallScreenedUser {
  wall_id: string;
  user_id: string;
}

export interface DbAlert {
  id: string;
  /** wall_breach_attempt */
  kind: string;
  user_id: string | null;
  wall_id: string | null;
  /** The audit event recording the blocked attempt. */
  event_seq: number | null;
  created_at: string;
  /** new | acknowledged | dismissed | escalated */
  status: string;
  /** The detection rule that raised it (migration 0006); wall_breach for wall-breach rows. */
  rule_code?: string | null;
  severity?: string | null;
  /** JSON array of the audit event seqs that triggered it. */
  evidence?: string | null;
  /** JSON of counts and thresholds only (no personal data). */
  facts?: string | null;
  /** The containment applied when it was raised, if any. */
  containment?: string | null;
  status_at?: string | null;
  status_by?: string | null;
  dismiss_reason?: string | null;
  incident_id?: string | null;
}

export interface Database
  extends RequestTables,
    DetectionTables,
    NotificationTables,
    RetentionTables,
    PasskeyTables,
    AccessReviewTables,
    IncidentEvidenceTables,
    StaffCalendarTables {
  key_versions: DbKeyVersion;
  data_keys: DbDataKey;
  clients: DbClient;
  purposes: DbPurpose;
  users: DbUser;
  api_tokens: DbApiToken;
  audit_events: DbAuditEvent;
  audit_checkpoints: DbAuditCheckpoint;
  sessions: DbSession;
  totp_enrolments: DbTotpEnrolment;
  recovery_codes: DbRecoveryCode;
  sign_in_throttles: DbSignInThrottle;
  matters: DbMatter;
  matter_members: DbMatterMember;
  ethical_walls: DbEthicalWall;
  wall_subjects: DbWallSubject;
  wall_screened_users: DbWallScreenedUser;
  alerts: DbAlert;
  privacy_notices: DbPrivacyNotice;
  consent_records: DbConsentRecord;
  approval_requests: DbApprovalRequest;
  approval_decisions: DbApprovalDecision;
  access_grants: DbAccessGrant;
  break_glass_accesses: DbBreakGlassAccess;
  break_glass_reviews: DbBreakGlassReview;
  staff_agreements: DbStaffAgreement;
  staff_trainings: DbStaffTraining;
}

export interface DbPrivacyNotice {
  version: number;
  /** draft | published; a published row never changes. */
  status: string;
  effective_from: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  /** SHA-256 of the canonical content, set at publication. */
  content_hash: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  published_at: string | null;
  published_by: string | null;
}

export interface DbConsentRecord {
  id: string;
  client_id: string;
  purpose: string;
  /** 1, 2, … per client and purpose; the highest is the current state. */
  revision: number;
  /** granted | withdrawn */
  status: string;
  /** 1: a separate consent (PIPL Art. 23, 29). */
  separate: number;
  channel: string;
  notice_version: number | null;
  notice_hash: string | null;
  notice_language: string | null;
  /** signed_form | click | email | recording: what ack_reference points at; never free text. */
  ack_kind: string;
  ack_reference: string;
  given_at: string;
  recorded_at: string;
  recorded_by: string;
}
