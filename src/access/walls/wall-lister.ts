import type { RequestContext } from "../policy/actor.js";
import { authorize } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { screenedClients } from "./screening.js";
import type { PresentedWall, WallReason } from "./wall.js";

export type ListedWall = PresentedWall & { liftedAt: string | null };

/**
 * Walls naming a client the caller is screened from (directly, or through one of its matters).
 * Listing them would hand a screened manager the ids of the clients walled from them.
 */
async function wallsTouching(tx: Tx, clientIds: readonly string[]): Promise<string[]> {
  if (clientIds.length === 0) return [];
  const rows = await tx
    .selectFrom("wall_subjects as s")
    .leftJoin("matters as m", (j) => j.onRef("m.id", "=", "s.subject_id").on("s.kind", "=", "matter"))
    .select("s.wall_id")
    .where((eb) => eb.or([eb.and([eb("s.kind", "=", "client"), eb("s.subject_id", "in", [...clientIds])]), eb("m.client_id", "in", [...clientIds])]))
    .execute();
  return [...new Set(rows.map((r) => r.wall_id))];
}

/**
 * Ethical walls, newest first, for those who manage them (partners and compliance, as for one
 * wall). A wall about a client the caller is screened from is left out of the page, as the client
 * itself is left out of their lists.
 */
export async function listWalls(services: Services, ctx: RequestContext, page: { cursor?: string | undefined; limit: number }): Promise<Page<ListedWall>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "wall.list", targetType: "wall", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "wall.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    const hidden = await wallsTouching(w.tx, [...(await screenedClients(w.tx, ctx.actor.userId)).keys()]);
    let q = w.tx.selectFrom("ethical_walls").selectAll();
    if (hidden.length) q = q.where("id", "not in", hidden);
    if (after) q = q.where((eb) => eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]));
    const rows = await q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute();
    const shown = rows.slice(0, page.limit);
    const ids = shown.map((r) => r.id);
    const subjects = ids.length
      ? await w.tx.selectFrom("wall_subjects").select(["wall_id", "kind", "subject_id"]).where("wall_id", "in", ids).orderBy("subject_id").execute()
      : [];
    const screened = ids.length
      ? await w.tx.selectFrom("wall_screened_users").select(["wall_id", "user_id"]).where("wall_id", "in", ids).orderBy("user_id").execute()
      : [];
    const items = shown.map((wall) => ({
      id: wall.id,
      reason: wall.reason as WallReason,
      reference: wall.reference,
      ownerId: wall.owner_id,
      clientIds: subjects.filter((s) => s.wall_id === wall.id && s.kind === "client").map((s) => s.subject_id),
      matterIds: subjects.filter((s) => s.wall_id === wall.id && s.kind === "matter").map((s) => s.subject_id),
      screenedUserIds: screened.filter((s) => s.wall_id === wall.id).map((s) => s.user_id),
      createdAt: wall.created_at,
      liftedAt: wall.lifted_at,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    const last = shown.at(-1);
    return { items, nextCursor: nextCursorOf(last && { createdAt: last.created_at, id: last.id }, rows.length > page.limit) };
  });
}
