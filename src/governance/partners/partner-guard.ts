import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";

export type PartnerEvent = { action: string; targetType: string; targetId: string | null };

/** Reading takes `partner.read`, changing `partner.manage`; a refusal is a 403, audited. */
export function refusedUnless(w: AuditedWork, ctx: RequestContext, action: "partner.read" | "partner.manage", event: PartnerEvent): Refusal | null {
  const decision = authorize(ctx.actor, action);
  return decision.effect === "deny" ? w.deny(decision, event) : null;
}

export const partnerExists = async (tx: Tx, id: string): Promise<boolean> =>
  (await tx.selectFrom("partners").select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
