import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";

export type TrainingEvent = { action: string; targetType: string; targetId: string | null };

/** Managing training takes `training.manage`, agreements and checks `agreement.manage`; a refusal is a 403, audited. */
export function refusedUnless(w: AuditedWork, ctx: RequestContext, action: "training.manage" | "agreement.manage", event: TrainingEvent): Refusal | null {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
}

export const activeUser = async (tx: Tx, id: string) =>
  tx.selectFrom("users").select(["id", "role", "status"]).where("id", "=", id).where("status", "=", "active").executeTakeFirst();

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
