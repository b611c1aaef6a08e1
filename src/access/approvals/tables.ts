/** Storage shapes of approvals, grants, break-glass and access conditions (migration 0005). */

export interface DbApprovalRequest {
  id: string;
  requester_id: string;
  /** read_sensitive | export | bulk_read | copy_document | forward_document | disclose | role_grant */
  kind: string;
  /** Null for a role grant (migration 0016), which names a staff member instead. */
  client_id: string | null;
  matter_id: string | null;
  purpose: string;
  /** A code from JUSTIFICATIONS; never free text. */
  justification: string;
  /** Ticket or file number backing the justification. */
  reference: string | null;
  duration_minutes: number;
  /** pending | approved | rejected */
  status: string;
  created_at: string;
  decided_at: string | null;
  /** role_grant: the staff member whose role changes, and the role asked for (migration 0016). */
  subject_id: string | null;
  role: string | null;
}

export interface DbApprovalDecision {
  request_id: string;
  /** supervisor | compliance (four-eyes) or approver (one approval) */
  slot: string;
  approver_id: string;
  /** approve | reject */
  decision: string;
  decided_at: string;
}

export interface DbAccessGrant {
  id: string;
  request_id: string;
  user_id: string;
  kind: string;
  client_id: string;
  matter_id: string | null;
  starts_at: string;
  /** Checked at every use: an expired grant never authorises. */
  expires_at: string;
  revoked_at: string | null;
}

export interface DbBreakGlassAccess {
  id: string;
  user_id: string;
  client_id: string;
  justification: string;
  reference: string;
  opened_at: string;
  expires_at: string;
}

export interface DbBreakGlassReview {
  access_id: string;
  /** pending | accepted | rejected */
  status: string;
  reviewer_id: string | null;
  reviewed_at: string | null;
  created_at: string;
}
