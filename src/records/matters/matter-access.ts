import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { matterAbilities, type MatterAbilities } from "../../access/policy/abilities.js";
import { authorize, authorizeMatter } from "../../access/policy/policy.js";
import type { MatterRelation } from "../../access/policy/predicates.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { DbMatter } from "../../platform/db/schema.js";
import { MemberScreenedError, NotFoundError } from "../../platform/errors.js";
import { screenedClients } from "../../access/walls/screening.js";
import { raiseWallBreachAlerts } from "../../access/walls/screening.js";
import type { KeyRing } from "../../vault/keys/key-ring.js";
import type { Tx } from "../../platform/db/engine.js";
import type { PresentedMatter } from "./matter.js";
import { findMatterRow, presentMatter } from "./matter-store.js";
import { matterRelation } from "./need-to-know.js";

/** A matter the caller may act on, with the relation the policy judged (abilities reuse it). */
export type AccessibleMatter = DbMatter & { readonly relation: MatterRelation };

/**
 * Loads one matter and authorises the action on it. As for clients, a wall answers 404 exactly
 * like a missing matter, audits `screened_by_wall` and raises a wall-breach alert.
 */
export async function accessibleMatter(
  ctx: RequestContext,
  w: AuditedWork,
  id: string,
  action: "matter.read" | "matter.manage",
  auditAction: string,
): Promise<Refusal | AccessibleMatter> {
  const event = { action: auditAction, targetType: "matter", targetId: id };
  const role = authorize(ctx.actor, action);
  if (role.effect === "deny") return w.deny(role, event);
  const row = await findMatterRow(w.tx, id);
  if (!row) return w.refuse(NotFoundError("Matter"), event, "failure");
  const relation = await matterRelation(w.tx, ctx.actor, row);
  const decision = authorizeMatter(ctx.actor, action, relation);
  if (decision.effect === "deny") {
    if (decision.reason === "screened_by_wall") {
      return w.refuse(
        NotFoundError("Matter"),
        { ...event, reason: "screened_by_wall" },
        "denied",
        raiseWallBreachAlerts(w.tx, ctx.actor.userId, relation.screenedBy),
      );
    }
    return w.deny(decision, event);
  }
  return { ...row, relation };
}

/** One matter as GET /matters/{id} and the team and close commands return it: with the caller's abilities. */
export type PresentedMatterRecord = PresentedMatter & { abilities: MatterAbilities };

/**
 * Presents a matter the caller reached through accessibleMatter, with their abilities on it as it now
 * stands: the walls judged for the access, membership as the (possibly just changed) team lists it.
 */
export async function presentMatterFor(tx: Tx, keyRing: KeyRing, actor: Actor, row: AccessibleMatter): Promise<PresentedMatterRecord> {
  const presented = await presentMatter(tx, keyRing, row);
  const relation = { ...row.relation, isMember: presented.team.some((m) => m.userId === actor.userId) };
  return { ...presented, abilities: matterAbilities(actor, { relation, open: presented.status === "open" }) };
}

/** A user screened from the client may not join its matters: the wall would be pointless. */
export async function refuseScreenedMembers(
  w: AuditedWork,
  clientId: string,
  userIds: readonly string[],
  event: { action: string; targetType: string; targetId: string | null },
): Promise<Refusal | null> {
  for (const userId of userIds) {
    const walls = (await screenedClients(w.tx, userId)).get(clientId);
    if (walls?.length) return w.refuse(MemberScreenedError(), { ...event, details: { userId, walls } }, "failure");
  }
  return null;
}
