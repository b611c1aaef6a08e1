import type { RequestContext } from "../policy/actor.js";
import { authorize } from "../policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { wallsHiddenFrom } from "./wall-visibility.js";
import type { PresentedWall, WallReason } from "./wall.js";

export type ListedWall = PresentedWall & { liftedAt: string | null };

/**
 * Ethical walls, newest first, for those who manage them (partners and compliance, as for one
 * wall). Left out, as GET /walls/{id} answers 404 for them (authorizeWallRead): a wall naming the
 * caller among its screened users, standing or lifted, and a wall about a client the caller is
 * screened from. Either would tell a screened partner which client or matter is walled from them
 * and who sits on the other side; the client itself is left out of their lists the same way.
 */
export async function listWalls(services: Services, ctx: RequestContext, page: { cursor?: string | undefined; limit: number }): Promise<Page<ListedWall>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "wall.list", targetType: "wall", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "wall.manage");
    if (role.effect === "deny") return w.deny(role, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    const hidden = await wallsHiddenFrom(w.tx, ctx.actor.userId);
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
