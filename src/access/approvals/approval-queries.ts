import type { Actor, RequestContext } from "../policy/actor.js";
import { authorizeApprovalDecision, mayApproveRoleGrants } from "../policy/policy.js";
import { isComplianceOfficer, isSelf, isSupervisorOf } from "../policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { screenedClients } from "../walls/screening.js";
import { ROLE_GRANT, type ApprovalKind, type PresentedApproval } from "./approval.js";
import { decisionsOf, findRequest, presentApproval, supervisorOf } from "./approval-store.js";

const LIST_LIMIT = 200;

/**
 * The approval record (APR-1 electronic approval record): the requester, the requester's supervisor,
 * compliance officers and anyone who decided on it may read it; for others it does not exist.
 */
export async function readApproval(services: Services, ctx: RequestContext, id: string): Promise<PresentedApproval> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "approval.read", targetType: "approval", targetId: id, purpose: null };
    const request = await findRequest(w.tx, id);
    if (!request) return w.refuse(NotFoundError("Approval"), event, "failure");
    const walled = request.client_id ? ((await screenedClients(w.tx, ctx.actor.userId)).get(request.client_id) ?? []).length > 0 : false;
    const party =
      isSelf(ctx.actor, request.requester_id) ||
      // A role grant is open to everyone who may approve one (compliance officers and partners).
      (request.kind === ROLE_GRANT && mayApproveRoleGrants(ctx.actor)) ||
      isComplianceOfficer(ctx.actor) ||
      isSupervisorOf(ctx.actor, { supervisorId: await supervisorOf(w.tx, request.requester_id) }) ||
      (await decisionsOf(w.tx, id)).some((d) => d.approverId === ctx.actor.userId);
    if (!party || (walled && !isSelf(ctx.actor, request.requester_id)))
      return w.refuse(NotFoundError("Approval"), { ...event, reason: walled ? "screened_by_wall" : "not_a_party" });
    w.record({ ...event, outcome: "success" });
    return presentApproval(w.tx, request);
  });
}

/**
 * Pending requests with a slot the actor may fill, oldest first: the policy decides who may fill
 * which slot, and the list offers exactly those requests (also the home page's work queue).
 */
export async function approvalsToDecide(tx: Tx, actor: Actor) {
  const pending = await tx
    .selectFrom("approval_requests as r")
    .innerJoin("users as u", "u.id", "r.requester_id")
    .selectAll("r")
    .select("u.supervisor_id as requester_supervisor_id")
    .where("r.status", "=", "pending")
    .orderBy("r.created_at")
    .limit(LIST_LIMIT)
    .execute();
  const walls = await screenedClients(tx, actor.userId);
  const rows = [];
  for (const r of pending) {
    const facts = {
      kind: r.kind as ApprovalKind,
      requesterId: r.requester_id,
      requesterSupervisorId: r.requester_supervisor_id,
      filled: await decisionsOf(tx, r.id),
      screenedBy: r.client_id ? (walls.get(r.client_id) ?? []) : [],
      subjectId: r.subject_id,
    };
    if (authorizeApprovalDecision(actor, facts).effect === "allow") rows.push(r);
  }
  return rows;
}

/** `mine`: the caller's own requests. `to_decide`: pending requests with a slot the caller may fill. */
export async function listApprovals(services: Services, ctx: RequestContext, scope: "mine" | "to_decide"): Promise<PresentedApproval[]> {
  return runAudited(services, ctx, async (w) => {
    let rows;
    if (scope === "mine") {
      rows = await w.tx
        .selectFrom("approval_requests")
        .selectAll()
        .where("requester_id", "=", ctx.actor.userId)
        .orderBy("created_at", "desc")
        .limit(LIST_LIMIT)
        .execute();
    } else rows = await approvalsToDecide(w.tx, ctx.actor);
    const items = [];
    for (const r of rows) items.push(await presentApproval(w.tx, r));
    w.record({ action: "approval.list", targetType: "approval", targetId: null, purpose: null, outcome: "success", details: { scope, results: items.length } });
    return items;
  });
}
