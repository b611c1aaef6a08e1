/** Storage shapes of access reviews (recertification, IAM-4; migration 0010_access_reviews). */

export interface DbAccessReviewCampaign {
  id: string;
  /** The campaign's name, sealed (src/vault/sealed-text.ts): free text may name someone. */
  name_ct: string;
  /** YYYY-MM-DD; the campaign is overdue after the end of that day (UTC). */
  due_on: string;
  /** open | closed */
  status: string;
  started_by: string;
  started_at: string;
  closed_by: string | null;
  closed_at: string | null;
  /** A code from CLOSE_REASONS when closed with undecided items; never free text. */
  close_reason: string | null;
}

export interface DbAccessReviewItem {
  id: string;
  campaign_id: string;
  /** matter_member | grant | role */
  kind: string;
  /** Whose access is reviewed. */
  subject_user_id: string;
  /** The assigned reviewer; null when the item is compliance's (any compliance officer but the subject). */
  reviewer_id: string | null;
  /** user | compliance */
  reviewer_pool: string;
  matter_id: string | null;
  grant_id: string | null;
  client_id: string | null;
  /** Snapshot: the matter role, the grant kind, or the user's role when the campaign started. */
  access: string;
  /** null (pending) | keep | revoke | not_reviewed */
  decision: string | null;
  /** A code from DECISION_REASONS or CLOSE_REASONS; never free text. */
  reason_code: string | null;
  decided_by: string | null;
  decided_at: string | null;
  /** What a revoke did: member_removed | grant_revoked | user_disabled | already_ended. */
  effect: string | null;
}

export interface AccessReviewTables {
  access_review_campaigns: DbAccessReviewCampaign;
  access_review_items: DbAccessReviewItem;
}
