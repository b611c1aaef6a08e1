/** Approval requests, their decisions and grants: SQL only. */
import type { Tx } from "../../platform/db/engine.js";
import type { DbApprovalRequest } from "../../platform/db/schema.js";
import { isCurrentGrant } from "../policy/predicates.js";
import { uuidv7 } from "../../platform/ids.js";
import {
  ROLE_GRANT,
  ROLE_GRANT_PURPOSE,
  type ApprovalKind,
  type ApprovalStatus,
  type ApproverSlot,
  type Justification,
  type PresentedApproval,
} from "./approval.js";

export const findRequest = (tx: Tx, id: string) => tx.selectFrom("approval_requests").selectAll().where("id", "=", id).executeTakeFirst();

export const decisionsOf = async (tx: Tx, requestId: string) =>
  (await tx.selectFrom("approval_decisions").selectAll().where("request_id", "=", requestId).orderBy("decided_at").execute()).map((d) => ({
    slot: d.slot as ApproverSlot,
    approverId: d.approver_id,
    decision: d.decision as "approve" | "reject",
    decidedAt: d.decided_at,
  }));

export const supervisorOf = async (tx: Tx, userId: string): Promise<string | null> =>
  (await tx.selectFrom("users").select("supervisor_id").where("id", "=", userId).executeTakeFirst())?.supervisor_id ?? null;

/** The approval record as the API returns it: an allow-list of fields (ids, codes, times). */
export async function presentApproval(tx: Tx, row: DbApprovalRequest, now: Date = new Date()): Promise<PresentedApproval> {
  const grant = await tx.selectFrom("access_grants").selectAll().where("request_id", "=", row.id).executeTakeFirst();
  return {
    id: row.id,
    requesterId: row.requester_id,
    kind: row.kind as ApprovalKind,
    clientId: row.client_id,
    subjectId: row.subject_id,
    role: row.role,
    matterId: row.matter_id,
    purpose: row.purpose,
    justification: row.justification as Justification,
    reference: row.reference,
    durationMinutes: Number(row.duration_minutes),
    status: row.status as ApprovalStatus,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    decisions: await decisionsOf(tx, row.id),
    grant: grant
      ? { id: grant.id, startsAt: grant.starts_at, expiresAt: grant.expires_at, revokedAt: grant.revoked_at, current: isCurrentGrant(grant, now) }
      : null,
  };
}

/** Files a pending `role_grant` request (user administration asks; the approvals own the row). */
export async function fileRoleGrantRequest(tx: Tx, input: { requesterId: string; subjectId: string; role: string }): Promise<string> {
  const id = uuidv7();
  await tx
    .insertInto("approval_requests")
    .values({
      id,
      requester_id: input.requesterId,
      kind: ROLE_GRANT,
      client_id: null,
      matter_id: null,
      purpose: ROLE_GRANT_PURPOSE,
      justification: "other",
      reference: null,
      duration_minutes: 0,
      status: "pending",
      created_at: new Date().toISOString(),
      decided_at: null,
      subject_id: input.subjectId,
      role: input.role,
    })
    .execute();
  return id;
}
