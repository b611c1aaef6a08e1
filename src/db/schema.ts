/**
 * Storage shapes, as Kysely sees them. Prefixed `Db…` to keep them apart from domain types.
 * Times are ISO-8601 UTC strings in both engines, so rows compare and hash identically.
 */


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
}

export interface DbPurpose {
  code: string;
  name_zh: string;
  name_en: string;
  description_en: string;
  active: number;
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
}

export interface DbApiToken {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
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

export interface Database {
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
}
