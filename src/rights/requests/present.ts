/** Allow-list presenters of a request: the staff view and the narrower one the requester sees. */
import type { DbClientRequest, DbClientRequestHistory } from "../../platform/db/schema.js";
import { deadlineFlags } from "./deadlines.js";
import { CLOSED, type RequestStatus, type RequestType } from "./request.js";

export interface PortalRequestView {
  id: string;
  type: RequestType;
  status: RequestStatus;
  receivedAt: string;
  dueDate: string;
  extendedDueDate: string | null;
  extensionReason: string | null;
  outcome: string | null;
  outcomeDetails: Record<string, string | null> | null;
  closedAt: string | null;
}

export interface StaffRequestView extends PortalRequestView {
  regime: string;
  language: string;
  clientId: string | null;
  match: string;
  ownerId: string | null;
  verifiedAt: string | null;
  verificationMethod: string | null;
  verificationEvidence: string | null;
  reminder: boolean;
  overdue: boolean;
  history?: { seq: number; status: string; at: string; actorId: string | null; reason: string | null }[];
}

export function presentPortalRequest(row: DbClientRequest): PortalRequestView {
  return {
    id: row.id,
    type: row.type as RequestType,
    status: row.status as RequestStatus,
    receivedAt: row.received_at,
    dueDate: row.due_date,
    extendedDueDate: row.extended_due_date,
    extensionReason: row.extension_reason,
    outcome: row.outcome,
    outcomeDetails: row.outcome_details ? (JSON.parse(row.outcome_details) as Record<string, string | null>) : null,
    closedAt: row.closed_at,
  };
}

export function presentStaffRequest(row: DbClientRequest, today: string, reminderDays: number, history?: DbClientRequestHistory[]): StaffRequestView {
  const flags = deadlineFlags(row.extended_due_date ?? row.due_date, today, reminderDays, CLOSED.has(row.status));
  return {
    ...presentPortalRequest(row),
    regime: row.regime,
    language: row.language,
    clientId: row.client_id,
    match: row.match,
    ownerId: row.owner_id,
    verifiedAt: row.verified_at,
    verificationMethod: row.verification_method,
    verificationEvidence: row.verification_evidence,
    ...flags,
    ...(history ? { history: history.map((h) => ({ seq: h.seq, status: h.status, at: h.at, actorId: h.actor_id, reason: h.reason })) } : {}),
  };
}
