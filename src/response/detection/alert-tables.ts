/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

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

/** The last time an actor reached a target by an action: the distinct-target rules' running count. */
export interface DbDetectionTargetMark {
  actor_id: string;
  action: string;
  target_id: string;
  last_at: string;
}

export interface AlertTables {
  alerts: DbAlert;
  detection_target_marks: DbDetectionTargetMark;
}
