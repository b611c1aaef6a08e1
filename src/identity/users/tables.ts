/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

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

export interface UserTables {
  users: DbUser;
  api_tokens: DbApiToken;
}
