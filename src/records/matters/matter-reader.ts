import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeMatter } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { refuseRecord, requirePurpose } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { PresentedMatter } from "./matter.js";
import { accessibleMatter, presentMatterFor, type PresentedMatterRecord } from "./matter-access.js";
import { presentMatter } from "./matter-store.js";
import { clientRelation } from "./need-to-know.js";
import { authorizeRecordRead } from "../../access/policy/policy.js";

/** Reads one matter under a declared purpose (its title may name the parties), with the caller's abilities on it. */
export async function readMatter(services: Services, ctx: RequestContext, id: string): Promise<PresentedMatterRecord> {
  return runAudited(services, ctx, async (w) => {
    const row = await accessibleMatter(ctx, w, id, "matter.read", "matter.read");
    if (!("id" in row)) return row;
    const purpose = await requirePurpose(services, ctx, w, "matter.read", id);
    if (typeof purpose !== "string") return purpose;
    w.record({ action: "matter.read", targetType: "matter", targetId: id, outcome: "success", reason: "permitted", details: { clientId: row.client_id } });
    return presentMatterFor(w.tx, services.keyRing, ctx.actor, row);
  });
}

/**
 * The matters of one client the caller may see: firm-wide roles see all of them, matter roles only
 * those they are on. Reaching the client at all follows the client rules (walls, need-to-know).
 */
export async function listClientMatters(services: Services, ctx: RequestContext, clientId: string): Promise<PresentedMatter[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.list", targetType: "client", targetId: clientId };
    const role = authorize(ctx.actor, "matter.read");
    if (role.effect === "deny") return w.deny(role, event);
    const purpose = await requirePurpose(services, ctx, w, "matter.list", clientId);
    if (typeof purpose !== "string") return purpose;
    const client = await findClientRow(w.tx, clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, client);
    // Only walls and need-to-know matter here: the list holds no client personal data.
    const decision = authorizeRecordRead(ctx.actor, "client.read", purpose, { purposes: [purpose], erased: false, fieldLevels: {} }, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    const rows = await w.tx.selectFrom("matters").selectAll().where("client_id", "=", clientId).orderBy("created_at").orderBy("id").execute();
    const out: PresentedMatter[] = [];
    for (const row of rows) {
      const member = await w.tx
        .selectFrom("matter_members")
        .select("user_id")
        .where("matter_id", "=", row.id)
        .where("user_id", "=", ctx.actor.userId)
        .executeTakeFirst();
      if (authorizeMatter(ctx.actor, "matter.read", { isMember: member !== undefined, screenedBy: relation.screenedBy }).effect === "allow")
        out.push(await presentMatter(w.tx, services.keyRing, row));
    }
    w.record({ ...event, outcome: "success", details: { results: out.length } });
    return out;
  });
}
