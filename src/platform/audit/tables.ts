/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbAuditEvent {
  /** Arrival number: unique and increasing as drawn, with gaps where a transaction rolled back. */
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
  /** Chain links, set by the sequencer; empty while the event is pending. */
  prev_hash: string;
  hash: string;
  /** Place in the log (Merkle leaf index + 1), set by the sequencer; null while pending. */
  position: number | null;
}

export interface DbAuditCheckpoint {
  /** Tree size: the position of the last event it covers. */
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

/** A witness's cosignature of the checkpoint of tree size `size` (C2SP tlog-cosignature/v1). */
export interface DbAuditCosignature {
  /** The witness's key name. */
  witness: string;
  size: number;
  /** The cosignature's own timestamp, as an ISO time. */
  cosigned_at: string;
  /** The note signature line, ready to append to the checkpoint. */
  signature: string;
}

export interface AuditTables {
  audit_events: DbAuditEvent;
  audit_checkpoints: DbAuditCheckpoint;
  audit_cosignatures: DbAuditCosignature;
}
