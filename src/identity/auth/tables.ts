/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

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
  /** A replacement seed waiting for its first code (migration 0039); the current one works until then. */
  pending_secret_ct: Buffer | null;
  pending_at: string | null;
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

export interface SignInTables {
  sessions: DbSession;
  totp_enrolments: DbTotpEnrolment;
  recovery_codes: DbRecoveryCode;
  sign_in_throttles: DbSignInThrottle;
}
