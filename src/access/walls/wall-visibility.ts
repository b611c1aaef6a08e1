/** Which walls hide a wall from a user (the policy decides: authorizeWallRead), and the answer when they do. */
import type { RequestContext } from "../policy/actor.js";
import type { Decision, WallRelation } from "../policy/policy.js";
import type { AuditDraft, AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError } from "../../platform/errors.js";
import { raiseWallBreachAlerts, screenedClients } from "./screening.js";

/** Walls protecting any of these clients, directly or through one of their matters. */
async function wallsProtecting(tx: Tx, clientIds: readonly string[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await tx
    .selectFrom("wall_subjects as s")
    .leftJoin("matters as m", (j) => j.onRef("m.id", "=", "s.subject_id").on("s.kind", "=", "matter"))
    .select("s.wall_id")
    .where((eb) => eb.or([eb.and([eb("s.kind", "=", "client"), eb("s.subject_id", "in", [...clientIds])]), eb("m.client_id", "in", [...clientIds])]))
    .execute();
  return [...new Set(rows.map((r) => r.wall_id))];
}

/** Walls naming the user among their screened users, standing or lifted. */
async function wallsNaming(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.selectFrom("wall_screened_users").select("wall_id").where("user_id", "=", userId).execute();
  return rows.map((r) => r.wall_id);
}

/**
 * The walls a wall list leaves out for this user: those that name them, and those protecting a
 * client a standing wall screens them from (their ids would hand over the walled clients' ids).
 */
export async function wallsHiddenFrom(tx: Tx, userId: string): Promise<string[]> {
  const screened = [...(await screenedClients(tx, userId)).keys()];
  return [...new Set([...(await wallsNaming(tx, userId)), ...(await wallsProtecting(tx, screened))])];
}

/**
 * The user's relation to one wall, and which of the walls hiding it still stand (only those
 * raise a wall-breach alert: a lifted wall no longer screens anyone).
 */
export async function wallRelation(tx: Tx, userId: string, wall: { id: string; lifted_at: string | null }): Promise<WallRelation & { standing: string[] }> {
  const named = await tx.selectFrom("wall_screened_users").select("user_id").where("wall_id", "=", wall.id).where("user_id", "=", userId).executeTakeFirst();
  const subjects = await tx
    .selectFrom("wall_subjects as s")
    .leftJoin("matters as m", (j) => j.onRef("m.id", "=", "s.subject_id").on("s.kind", "=", "matter"))
    .select(["s.kind", "s.subject_id", "m.client_id"])
    .where("s.wall_id", "=", wall.id)
    .execute();
  const screened = await screenedClients(tx, userId);
  // Walls from screenedClients all stand; this wall itself hides only if it names the user.
  const standing = new Set(subjects.flatMap((s) => screened.get(s.kind === "client" ? s.subject_id : (s.client_id ?? "")) ?? []));
  if (named && wall.lifted_at === null) standing.add(wall.id);
  const screenedBy = new Set(standing);
  if (named) screenedBy.add(wall.id);
  return { screenedBy: [...screenedBy], standing: [...standing] };
}

/**
 * A denial on one wall: across a wall the answer is the 404 of a wall that does not exist, audited
 * as `screened_by_wall` with a wall-breach alert per standing wall; any other denial is a 403.
 */
export function refuseWall(
  w: AuditedWork,
  ctx: RequestContext,
  decision: Extract<Decision, { effect: "deny" }>,
  relation: { standing: readonly string[] },
  event: Omit<AuditDraft, "outcome" | "reason">,
): Refusal {
  if (decision.reason !== "screened_by_wall") return w.deny(decision, event);
  return w.refuse(NotFoundError("Wall"), { ...event, reason: "screened_by_wall" }, "denied", raiseWallBreachAlerts(w.tx, ctx.actor.userId, relation.standing));
}
