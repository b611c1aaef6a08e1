/**
 * Who hears about an approval (issue #15): a new request goes to the subscribed staff who may
 * decide it — the policy answers, walls included, so nobody learns of a client they are screened
 * from — and a decision goes back to its requester, if subscribed. In the request's transaction.
 */
import { authorizeApprovalDecision } from "../policy/policy.js";
import { isRole } from "../policy/roles.js";
import type { Tx } from "../../platform/db/engine.js";
import { notifySubscribers } from "../../response/notifications/notifier.js";
import type { Vault } from "../../vault/vault.js";
import { screenedClients } from "../walls/screening.js";
import type { ApprovalKind } from "./approval.js";
import { supervisorOf } from "./approval-store.js";

interface RequestFacts {
  id: string;
  kind: string;
  requester_id: string;
  client_id: string | null;
  subject_id?: string | null;
}

export async function tellApprovers(tx: Tx, vault: Vault, request: RequestFacts, at: string): Promise<number> {
  const subscribers = await tx
    .selectFrom("notification_subscriptions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.role"])
    .where("s.event_kind", "=", "approval.requested")
    .where("u.status", "=", "active")
    .execute();
  const requesterSupervisorId = await supervisorOf(tx, request.requester_id);
  const deciders: string[] = [];
  for (const u of subscribers) {
    if (!isRole(u.role)) continue;
    const walls = request.client_id ? ((await screenedClients(tx, u.id)).get(request.client_id) ?? []) : [];
    const verdict = authorizeApprovalDecision(
      { userId: u.id, role: u.role },
      {
        kind: request.kind as ApprovalKind,
        requesterId: request.requester_id,
        requesterSupervisorId,
        filled: [],
        screenedBy: walls,
        subjectId: request.subject_id ?? null,
      },
    );
    if (verdict.effect === "allow") deciders.push(u.id);
  }
  const event = { kind: "approval.requested" as const, approvalId: request.id, approvalKind: request.kind, requesterId: request.requester_id, at };
  return notifySubscribers(tx, vault, event, deciders, at);
}

export const tellRequester = (tx: Tx, vault: Vault, request: RequestFacts, status: "approved" | "rejected", at: string): Promise<number> =>
  notifySubscribers(tx, vault, { kind: "approval.decided", approvalId: request.id, approvalKind: request.kind, status, at }, [request.requester_id], at);
