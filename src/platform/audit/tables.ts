/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

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
  /** RFC 6962 root (hex) of events 1..seq; null on checkpoints older than the tree. */
  tree_root: string | null;
  /** The tree's frontier at seq (merkle/frontier.ts), so the next checkpoint extends it. */
  frontier: string | null;
  /** The C2SP tlog-checkpoint signed note for tree size seq. */
  note: string | null;
}

export interface AuditTables {
  audit_events: DbAuditEvent;
  audit_checkpoints: DbAuditCheckpoint;
}
