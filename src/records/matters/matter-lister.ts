import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeMatter } from "../../access/policy/policy.js";
import { hasFirmScope } from "../../access/policy/predicates.js";
import { runAudited } from "../../platform/audit/audited.js";
import { requirePurpose } from "../clients/client-access.js";
import { decodeCursor, nextCursorOf, type KeysetPosition, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { screenedClients } from "../../access/walls/screening.js";
import type { MatterRole, MatterStatus, PracticeArea } from "./matter.js";
import { openTitle } from "./matter-store.js";

/** One line of the matter list: the matter without its team, and the caller's own matter role. */
export interface MatterListItem {
  id: string;
  number: string;
  /** Null once the client was erased (the title was sealed with the client's data key). */
  title: string | null;
  practiceArea: PracticeArea;
  status: MatterStatus;
  clientId: string;
  responsiblePartnerId: string;
  /** The caller's role on the team; null for firm-wide roles not on it. */
  myRole: MatterRole | null;
  createdAt: string;
}

/**
 * The matters the caller may see, newest first: firm-wide roles every matter, matter roles those
 * they are on (open or closed), never one whose client is walled from the caller. As for a client
 * list, walled matters are left out in SQL and raise no alert: nobody asked for them. Titles may
 * name the parties, so the list needs a declared purpose and each matter shown is audited as read.
 */
export async function listMatters(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number; status?: MatterStatus | undefined },
): Promise<Page<MatterListItem>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.list", targetType: "matter", targetId: null };
    const role = authorize(ctx.actor, "matter.read");
    if (role.effect === "deny") return w.deny(role, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    const purpose = await requirePurpose(services, ctx, w, "matter.list", null);
    if (typeof purpose !== "string") return purpose;

    const screened = await screenedClients(w.tx, ctx.actor.userId);
    const walled = [...screened.keys()];
    let q = w.tx
      .selectFrom("matters as m")
      .leftJoin("matter_members as mm", (j) => j.onRef("mm.matter_id", "=", "m.id").on("mm.user_id", "=", ctx.actor.userId))
      .selectAll("m")
      .select("mm.role as my_role");
    // Matter roles see the matters they are on; the policy below still decides on each row.
    if (!hasFirmScope(ctx.actor)) q = q.where("mm.user_id", "is not", null);
    if (walled.length) q = q.where("m.client_id", "not in", walled);
    if (page.status) q = q.where("m.status", "=", page.status);
    if (after)
      q = q.where((eb) => eb.or([eb("m.created_at", "<", after.createdAt), eb.and([eb("m.created_at", "=", after.createdAt), eb("m.id", "<", after.id)])]));
    const rows = await q
      .orderBy("m.created_at", "desc")
      .orderBy("m.id", "desc")
      .limit(page.limit + 1)
      .execute();

    const items: MatterListItem[] = [];
    let last: KeysetPosition | undefined;
    for (const row of rows.slice(0, page.limit)) {
      last = { createdAt: row.created_at, id: row.id };
      const decision = authorizeMatter(ctx.actor, "matter.read", { isMember: row.my_role !== null, screenedBy: screened.get(row.client_id) ?? [] });
      if (decision.effect === "deny") continue;
      items.push({
        id: row.id,
        number: row.number,
        title: await openTitle(w.tx, services.keyRing, row),
        practiceArea: row.practice_area as PracticeArea,
        status: row.status as MatterStatus,
        clientId: row.client_id,
        responsiblePartnerId: row.responsible_partner_id,
        myRole: (row.my_role as MatterRole | null) ?? null,
        createdAt: row.created_at,
      });
      w.record({
        action: "matter.read",
        targetType: "matter",
        targetId: row.id,
        outcome: "success",
        reason: "permitted",
        details: { via: "list", clientId: row.client_id },
      });
    }
    w.record({ ...event, outcome: "success", details: { results: items.length, ...(page.status ? { status: page.status } : {}) } });
    return { items, nextCursor: nextCursorOf(last, rows.length > page.limit) };
  });
}
