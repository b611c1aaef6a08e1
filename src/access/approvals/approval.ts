/** Approvals (审批, APR-1..3): what may be asked for, why, for how long, and who decides. */

/** What an approval covers. Each approved request becomes a time-limited grant of the same kind. */
export const APPROVAL_KINDS = ["read_sensitive", "export", "bulk_read", "copy_document", "forward_document", "disclose"] as const;
/**
 * A role at L3 or above for a staff member (issue #10): filed by user administration, never asked
 * for through /approvals. It names a staff member instead of a client, and its effect is the role.
 */
export const ROLE_GRANT = "role_grant";
export type ApprovalKind = (typeof APPROVAL_KINDS)[number] | typeof ROLE_GRANT;
/** What a role grant stores where a client approval keeps its purpose: it is not about client data. */
export const ROLE_GRANT_PURPOSE = "staff-administration";

/** Why it is needed: codes plus a ticket reference, so no personal data sits in free text. */
export const JUSTIFICATIONS = [
  "court_filing",
  "client_instruction",
  "regulator_request",
  "due_diligence",
  "litigation_hold",
  "internal_investigation",
  "other",
] as const;
export type Justification = (typeof JUSTIFICATIONS)[number];
export const APPROVAL_REFERENCE = /^[A-Za-z0-9._:/-]{1,64}$/;

/** Requested grant durations: at least 5 minutes, at most 30 days. */
export const MIN_DURATION_MINUTES = 5;
export const MAX_DURATION_MINUTES = 30 * 24 * 60;

/**
 * Approver slots. A disclosure outside the firm needs two distinct people (APR-2): the requester's
 * supervisor and a compliance officer. Everything else needs one approver: the supervisor or a
 * compliance officer (for a role grant: a compliance officer or a partner; see policy.ts).
 */
export type ApproverSlot = "supervisor" | "compliance" | "approver";
export const slotsFor = (kind: ApprovalKind): readonly ApproverSlot[] => (kind === "disclose" ? ["supervisor", "compliance"] : ["approver"]);

export type ApprovalStatus = "pending" | "approved" | "rejected";

export interface PresentedApproval {
  id: string;
  requesterId: string;
  kind: ApprovalKind;
  /** Null for a role grant, which names `subjectId` and `role` instead. */
  clientId: string | null;
  subjectId: string | null;
  role: string | null;
  matterId: string | null;
  purpose: string;
  justification: Justification;
  reference: string | null;
  durationMinutes: number;
  status: ApprovalStatus;
  createdAt: string;
  decidedAt: string | null;
  decisions: { slot: ApproverSlot; approverId: string; decision: "approve" | "reject"; decidedAt: string }[];
  grant: { id: string; startsAt: string; expiresAt: string; revokedAt: string | null; current: boolean } | null;
}
