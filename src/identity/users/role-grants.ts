/**
 * Roles at L3 or above (partner, lawyer, compliance) through the four-eyes approvals (issue #10):
 * user administration files a `role_grant` request, a compliance officer or a partner approves it
 * (src/access/approvals), and only then does the role apply. Until then the user keeps the old
 * role; a new account waits disabled.
 */
import { applyDefaultSubscriptions } from "../../response/notifications/default-subscriptions.js";
import { mayApproveRoleGrants } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";
import { ROLE_GRANT } from "../../access/approvals/approval.js";
import { fileRoleGrantRequest } from "../../access/approvals/approval-store.js";
import type { AuditedWork } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";

/** The pending role grant of a user, if any: one at a time, so an approval never applies a stale request. */
export const pendingRoleGrantOf = (tx: Tx, userId: string) =>
  tx
    .selectFrom("approval_requests")
    .select(["id", "role"])
    .where("subject_id", "=", userId)
    .where("kind", "=", ROLE_GRANT)
    .where("status", "=", "pending")
    .executeTakeFirst();

/** Pending role grants by subject, for the user list. */
export async function pendingRoleGrants(tx: Tx): Promise<Map<string, { approvalId: string; role: string }>> {
  const rows = await tx
    .selectFrom("approval_requests")
    .select(["id", "subject_id", "role"])
    .where("kind", "=", ROLE_GRANT)
    .where("status", "=", "pending")
    .execute();
  return new Map(rows.filter((r) => r.subject_id && r.role).map((r) => [r.subject_id!, { approvalId: r.id, role: r.role! }]));
}

/** Whether any active user other than `exceptUserId` could approve a role grant (the policy says who). */
export async function approverExists(tx: Tx, exceptUserId: string | null): Promise<boolean> {
  let q = tx.selectFrom("users").select("role").distinct().where("status", "=", "active");
  if (exceptUserId) q = q.where("id", "!=", exceptUserId);
  const roles = (await q.execute()).map((r) => r.role).filter(isRole);
  return roles.some((role) => mayApproveRoleGrants({ userId: "", role }));
}

/** Files the request in the caller's transaction; its audit event names the subject and the role. */
export async function requestRoleGrant(w: AuditedWork, input: { requesterId: string; subjectId: string; role: string; from: string | null }): Promise<string> {
  const id = await fileRoleGrantRequest(w.tx, input);
  w.record({
    action: "approval.request",
    targetType: "approval",
    targetId: id,
    outcome: "success",
    purpose: null,
    details: { kind: ROLE_GRANT, subjectId: input.subjectId, from: input.from, to: input.role },
  });
  return id;
}

/**
 * An approved role grant takes effect (called by the approval decider, in its transaction). A new
 * account (disabled, never a leaver: no `disabled_at`) becomes active; a leaver stays disabled.
 * The `user.set_role` event is what detection's privileged_role rule reads.
 */
export async function applyRoleGrant(w: AuditedWork, request: { id: string; subject_id: string | null; role: string | null }): Promise<void> {
  const user = request.subject_id
    ? await w.tx.selectFrom("users").select(["id", "role", "status", "disabled_at"]).where("id", "=", request.subject_id).executeTakeFirst()
    : undefined;
  if (!user || !request.role || !isRole(request.role)) throw new Error(`role grant ${request.id} names no user or no known role`);
  const activates = user.status !== "active" && user.disabled_at === null;
  await w.tx
    .updateTable("users")
    .set(activates ? { role: request.role, status: "active" } : { role: request.role })
    .where("id", "=", user.id)
    .execute();
  await applyDefaultSubscriptions(w.tx, { id: user.id, role: request.role }, new Date().toISOString());
  w.record({
    action: "user.set_role",
    outcome: "success",
    targetType: "user",
    targetId: user.id,
    purpose: null,
    details: { from: activates ? null : user.role, to: request.role, approvalId: request.id, ...(activates ? { activated: true } : {}) },
  });
}
