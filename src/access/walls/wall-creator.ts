import type { RequestContext } from "../policy/actor.js";
import { authorize, authorizeWallCreate, authorizeWallRead, mayOwnWall } from "../policy/policy.js";
import { isRole } from "../policy/roles.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { activeUsers } from "../../records/matters/matter-store.js";
import type { Services } from "../../platform/services.js";
import { WALL_REASONS, WALL_REFERENCE, type PresentedWall, type WallReason } from "./wall.js";
import { refuseWall, wallRelation } from "./wall-visibility.js";

export interface WallCreateInput {
  reason: WallReason;
  reference?: string | undefined;
  /** Defaults to the creator; must hold `wall.manage` (a partner or compliance officer). */
  ownerId?: string | undefined;
  clientIds?: string[] | undefined;
  matterIds?: string[] | undefined;
  screenedUserIds: string[];
}

const uniq = (xs: readonly string[] | undefined) => [...new Set(xs ?? [])];

/**
 * Raises a wall. It takes effect on the screened users' next request: every client and matter
 * check loads the active walls in the same transaction as the access.
 */
export async function createWall(services: Services, ctx: RequestContext, input: WallCreateInput): Promise<PresentedWall> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "wall.create", targetType: "wall", targetId: null, purpose: null };
    const clientIds = uniq(input.clientIds);
    const matterIds = uniq(input.matterIds);
    const screened = uniq(input.screenedUserIds);
    const ownerId = input.ownerId ?? ctx.actor.userId;
    const decision = authorizeWallCreate(ctx.actor, { ownerId, screenedUserIds: screened });
    if (decision.effect === "deny") return w.deny(decision, event);
    const issues: FieldIssue[] = [];
    if (!(WALL_REASONS as readonly string[]).includes(input.reason)) issues.push({ field: "reason", code: "invalid_value", message: "Not a wall reason." });
    if (input.reference !== undefined && !WALL_REFERENCE.test(input.reference))
      issues.push({ field: "reference", code: "format", message: "A ticket or file number." });
    if (clientIds.length + matterIds.length === 0) issues.push({ field: "clientIds", code: "required", message: "Name at least one client or matter." });
    if (screened.length === 0) issues.push({ field: "screenedUserIds", code: "required", message: "Name at least one screened user." });
    const users = await activeUsers(w.tx, [...screened, ownerId]);
    for (const [i, id] of screened.entries())
      if (!users.has(id)) issues.push({ field: `screenedUserIds.${i}`, code: "unknown_user", message: "No active user has this id." });
    const ownerRole = users.get(ownerId) ?? "";
    if (ownerId !== ctx.actor.userId && !(isRole(ownerRole) && mayOwnWall({ userId: ownerId, role: ownerRole })))
      issues.push({ field: "ownerId", code: "unknown_user", message: "The owner must be an active partner or compliance officer." });
    issues.push(...(await missing(w.tx, "clients", clientIds, "clientIds")), ...(await missing(w.tx, "matters", matterIds, "matterIds")));
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");

    const id = uuidv7();
    const now = new Date().toISOString();
    await w.tx
      .insertInto("ethical_walls")
      .values({
        id,
        reason: input.reason,
        reference: input.reference ?? null,
        owner_id: ownerId,
        created_by: ctx.actor.userId,
        created_at: now,
        lifted_at: null,
      })
      .execute();
    const subjects = [
      ...clientIds.map((s) => ({ wall_id: id, kind: "client", subject_id: s })),
      ...matterIds.map((s) => ({ wall_id: id, kind: "matter", subject_id: s })),
    ];
    await w.tx.insertInto("wall_subjects").values(subjects).execute();
    await w.tx
      .insertInto("wall_screened_users")
      .values(screened.map((u) => ({ wall_id: id, user_id: u })))
      .execute();
    w.record({ ...event, targetId: id, outcome: "success", details: { reason: input.reason, clientIds, matterIds, screenedUserIds: screened } });
    return { id, reason: input.reason, reference: input.reference ?? null, ownerId, clientIds, matterIds, screenedUserIds: screened, createdAt: now };
  });
}

async function missing(tx: Tx, table: "clients" | "matters", ids: string[], field: string): Promise<FieldIssue[]> {
  if (ids.length === 0) return [];
  const found = new Set((await tx.selectFrom(table).select("id").where("id", "in", ids).execute()).map((r) => r.id));
  return ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: `${field}.${i}`, code: "unknown_record", message: "No such record." }]));
}

/**
 * A wall, for those who manage walls. To a user it screens (or one screened from what it protects)
 * it does not exist: the same 404 as for an unknown id, audited as `screened_by_wall`.
 */
export async function readWall(services: Services, ctx: RequestContext, id: string): Promise<PresentedWall> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "wall.read", targetType: "wall", targetId: id, purpose: null };
    const role = authorize(ctx.actor, "wall.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const wall = await w.tx.selectFrom("ethical_walls").selectAll().where("id", "=", id).executeTakeFirst();
    if (!wall) return w.refuse(NotFoundError("Wall"), event, "failure");
    const relation = await wallRelation(w.tx, ctx.actor.userId, wall);
    const decision = authorizeWallRead(ctx.actor, relation);
    if (decision.effect === "deny") return refuseWall(w, ctx, decision, relation, event);
    const subjects = await w.tx.selectFrom("wall_subjects").select(["kind", "subject_id"]).where("wall_id", "=", id).orderBy("subject_id").execute();
    const screened = await w.tx.selectFrom("wall_screened_users").select("user_id").where("wall_id", "=", id).orderBy("user_id").execute();
    w.record({ ...event, outcome: "success" });
    return {
      id,
      reason: wall.reason as WallReason,
      reference: wall.reference,
      ownerId: wall.owner_id,
      clientIds: subjects.filter((s) => s.kind === "client").map((s) => s.subject_id),
      matterIds: subjects.filter((s) => s.kind === "matter").map((s) => s.subject_id),
      screenedUserIds: screened.map((s) => s.user_id),
      createdAt: wall.created_at,
      liftedAt: wall.lifted_at,
    };
  });
}
