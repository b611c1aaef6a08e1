import type { RequestContext } from "../policy/actor.js";
import { authorizeApprovalDecision } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { AppError, ApprovalNotPendingError, NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { issueGrant } from "../grants/grant-store.js";
import { raiseWallBreachAlerts, screenedClients } from "../walls/screening.js";
import { ROLE_GRANT, slotsFor, type ApprovalKind, type PresentedApproval } from "./approval.js";
import { applyRoleGrant } from "../../identity/users/role-grants.js";
import { tellRequester } from "./approval-notices.js";
import { decisionsOf, findRequest, presentApproval, supervisorOf } from "./approval-store.js";

/**
 * An approver's decision on a pending request (APR-1, APR-2). A rejection ends the request; an
 * approval fills the approver's slot, and once every slot is filled the request is approved and
 * a time-limited grant starts at once. Each step is its own audit event.
 */
export async function decideApproval(services: Services, ctx: RequestContext, id: string, decision: "approve" | "reject"): Promise<PresentedApproval> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: `approval.${decision}`, targetType: "approval", targetId: id, purpose: null };
    const request = await findRequest(w.tx, id);
    if (!request) return w.refuse(NotFoundError("Approval"), event, "failure");
    const filled = await decisionsOf(w.tx, id);
    // A role grant names no client, so no wall applies to it.
    const walls = request.client_id ? ((await screenedClients(w.tx, ctx.actor.userId)).get(request.client_id) ?? []) : [];
    const kind = request.kind as ApprovalKind;
    const verdict = authorizeApprovalDecision(ctx.actor, {
      kind,
      requesterId: request.requester_id,
      requesterSupervisorId: await supervisorOf(w.tx, request.requester_id),
      filled,
      screenedBy: walls,
      subjectId: request.subject_id,
    });
    if (verdict.effect === "deny") {
      // A walled approver learns nothing about the client: the request does not exist for them.
      if (verdict.reason === "screened_by_wall")
        return w.refuse(NotFoundError("Approval"), { ...event, reason: "screened_by_wall" }, "denied", raiseWallBreachAlerts(w.tx, ctx.actor.userId, walls));
      return w.deny(verdict, { ...event, details: { kind } });
    }
    if (request.status !== "pending") return w.refuse(ApprovalNotPendingError(), { ...event, details: { status: request.status } }, "failure");
    const requester = await w.tx.selectFrom("users").select("status").where("id", "=", request.requester_id).executeTakeFirst();
    if (requester?.status !== "active") return w.refuse(new AppError(409, "user_disabled", "The user is disabled."), event, "failure");

    const now = new Date();
    const at = now.toISOString();
    await w.tx
      .insertInto("approval_decisions")
      .values({ request_id: id, slot: verdict.slot, approver_id: ctx.actor.userId, decision, decided_at: at })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: {
        kind,
        slot: verdict.slot,
        clientId: request.client_id,
        requesterId: request.requester_id,
        ...(request.subject_id ? { subjectId: request.subject_id, role: request.role } : {}),
      },
    });
    const complete = decision === "reject" || slotsFor(kind).every((slot) => slot === verdict.slot || filled.some((f) => f.slot === slot));
    if (complete) {
      await w.tx
        .updateTable("approval_requests")
        .set({ status: decision === "reject" ? "rejected" : "approved", decided_at: at })
        .where("id", "=", id)
        .execute();
      await tellRequester(w.tx, services.vault, request, decision === "reject" ? "rejected" : "approved", at);
    }
    // A role grant's effect is the role (src/identity/users/role-grants.ts), not a time-limited grant.
    if (complete && decision === "approve" && kind === ROLE_GRANT) await applyRoleGrant(w, request);
    if (complete && decision === "approve" && kind !== ROLE_GRANT && request.client_id) {
      const grantId = uuidv7();
      const expiresAt = new Date(now.getTime() + Number(request.duration_minutes) * 60_000).toISOString();
      await issueGrant(w.tx, {
        id: grantId,
        request_id: id,
        user_id: request.requester_id,
        kind,
        client_id: request.client_id,
        matter_id: request.matter_id,
        starts_at: at,
        expires_at: expiresAt,
      });
      w.record({
        action: "grant.create",
        targetType: "grant",
        targetId: grantId,
        outcome: "success",
        purpose: request.purpose,
        details: { requestId: id, kind, clientId: request.client_id, userId: request.requester_id, startsAt: at, expiresAt },
      });
    }
    return presentApproval(w.tx, (await findRequest(w.tx, id))!, now);
  });
}
