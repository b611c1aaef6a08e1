import type { RequestContext } from "../policy/actor.js";
import { authorize, authorizeApprovalRequest } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { refuseRecord } from "../../records/clients/client-access.js";
import { findClientRow } from "../../records/clients/client-store.js";
import { NotFoundError, SupervisorRequiredError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { clientRelation } from "../../records/matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import {
  APPROVAL_KINDS,
  APPROVAL_REFERENCE,
  JUSTIFICATIONS,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
  type ApprovalKind,
  type Justification,
  type PresentedApproval,
} from "./approval.js";
import { tellApprovers } from "./approval-notices.js";
import { findRequest, presentApproval, supervisorOf } from "./approval-store.js";

export interface ApprovalRequestInput {
  kind: ApprovalKind;
  clientId: string;
  matterId?: string | undefined;
  purpose: string;
  justification: Justification;
  reference?: string | undefined;
  durationMinutes: number;
}

/**
 * Asks for an approval (APR-1, APR-3). Nothing is granted yet: the request waits for its approvers.
 * A disclosure needs the requester's supervisor, so it cannot be asked for without one on record.
 */
export async function requestApproval(services: Services, ctx: RequestContext, input: ApprovalRequestInput): Promise<PresentedApproval> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "approval.request", targetType: "approval", targetId: null, purpose: null, details: { clientId: input.clientId } };
    const role = authorize(ctx.actor, "approval.request");
    if (role.effect === "deny") return w.deny(role, event);
    const issues: FieldIssue[] = [];
    if (!(APPROVAL_KINDS as readonly string[]).includes(input.kind)) issues.push({ field: "kind", code: "invalid_value", message: "Not an approval kind." });
    if (!(JUSTIFICATIONS as readonly string[]).includes(input.justification))
      issues.push({ field: "justification", code: "invalid_value", message: "Not a justification code." });
    if (input.reference !== undefined && !APPROVAL_REFERENCE.test(input.reference))
      issues.push({ field: "reference", code: "format", message: "A ticket or file number." });
    if (!Number.isInteger(input.durationMinutes) || input.durationMinutes < MIN_DURATION_MINUTES || input.durationMinutes > MAX_DURATION_MINUTES)
      issues.push({ field: "durationMinutes", code: "too_big", message: "Between 5 minutes and 30 days." });
    if (!(await services.purposes.codes(w.tx)).has(input.purpose))
      issues.push({ field: "purpose", code: "unknown_purpose", message: "Not a registered purpose code." });

    const client = await findClientRow(w.tx, input.clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, client);
    const decision = authorizeApprovalRequest(ctx.actor, relation, client.status === "erased");
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    if (input.matterId !== undefined) {
      const matter = await w.tx.selectFrom("matters").select("client_id").where("id", "=", input.matterId).executeTakeFirst();
      if (!matter || matter.client_id !== client.id) issues.push({ field: "matterId", code: "unknown_record", message: "No such matter of this client." });
    }
    if (issues.length)
      return w.refuse(
        ValidationError(issues),
        { ...event, details: { clientId: input.clientId, fields: issues.map((i) => `${i.field}:${i.code}`) } },
        "failure",
      );
    if (input.kind === "disclose" && !(await supervisorOf(w.tx, ctx.actor.userId))) return w.refuse(SupervisorRequiredError(), event, "failure");

    const id = uuidv7();
    await w.tx
      .insertInto("approval_requests")
      .values({
        id,
        requester_id: ctx.actor.userId,
        kind: input.kind,
        client_id: client.id,
        matter_id: input.matterId ?? null,
        purpose: input.purpose,
        justification: input.justification,
        reference: input.reference ?? null,
        duration_minutes: input.durationMinutes,
        status: "pending",
        created_at: new Date().toISOString(),
        decided_at: null,
      })
      .execute();
    await tellApprovers(w.tx, services.vault, { id, kind: input.kind, requester_id: ctx.actor.userId, client_id: client.id }, new Date().toISOString());
    w.record({
      ...event,
      targetId: id,
      outcome: "success",
      purpose: input.purpose,
      details: {
        kind: input.kind,
        clientId: client.id,
        matterId: input.matterId ?? null,
        justification: input.justification,
        reference: input.reference ?? null,
        durationMinutes: input.durationMinutes,
      },
    });
    return presentApproval(w.tx, (await findRequest(w.tx, id))!);
  });
}
