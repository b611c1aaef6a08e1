import type { RequestContext } from "../policy/actor.js";
import { authorize, authorizeWallLift, authorizeWallRead } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { WallLiftReason } from "./wall.js";
import { refuseWall, wallRelation } from "./wall-visibility.js";

export interface WallLiftInput {
  reason: WallLiftReason;
  reference?: string | undefined;
}

/**
 * Lifts a wall: its screened users regain whatever their matters and grants give them on their
 * next request. Only compliance or the wall's owner may lift it, and never someone it screens
 * (they cannot see it in the first place). The wall stays on record with its lift time.
 */
export async function liftWall(services: Services, ctx: RequestContext, id: string, input: WallLiftInput): Promise<{ id: string; liftedAt: string }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "wall.lift", targetType: "wall", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "wall.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const wall = await w.tx.selectFrom("ethical_walls").selectAll().where("id", "=", id).executeTakeFirst();
    if (!wall) return w.refuse(NotFoundError("Wall"), event, "failure");
    // A screened user gets the same answer as for a wall that does not exist (audited as screened_by_wall).
    const relation = await wallRelation(w.tx, ctx.actor.userId, wall);
    const visible = authorizeWallRead(ctx.actor, relation);
    if (visible.effect === "deny") return refuseWall(w, ctx, visible, relation, event);
    const owner = authorizeWallLift(ctx.actor, { ownerId: wall.owner_id });
    if (owner.effect === "deny") return w.deny(owner, event);
    if (wall.lifted_at) return w.refuse(ConflictError("wall_lifted", "The wall is already lifted."), event, "failure");
    const liftedAt = new Date().toISOString();
    await w.tx.updateTable("ethical_walls").set({ lifted_at: liftedAt }).where("id", "=", id).where("lifted_at", "is", null).execute();
    w.record({ ...event, outcome: "success", reason: input.reason, details: { reference: input.reference ?? null } });
    return { id, liftedAt };
  });
}
