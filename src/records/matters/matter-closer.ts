import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { MatterClosedError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { accessibleMatter, presentMatterFor, type PresentedMatterRecord } from "./matter-access.js";
import { findMatterRow } from "./matter-store.js";

/**
 * Closes a matter. The team stays on record, but a closed matter no longer gives its team access
 * to the client's personal data (need-to-know ends with the engagement).
 */
export async function closeMatter(services: Services, ctx: RequestContext, matterId: string): Promise<PresentedMatterRecord> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "matter.close", targetType: "matter", targetId: matterId };
    const row = await accessibleMatter(ctx, w, matterId, "matter.manage", event.action);
    if (!("id" in row)) return row;
    if (row.status !== "open") return w.refuse(MatterClosedError(), event, "failure");
    const now = new Date().toISOString();
    await w.tx.updateTable("matters").set({ status: "closed", closed_at: now }).where("id", "=", matterId).where("status", "=", "open").execute();
    w.record({ ...event, outcome: "success", details: { clientId: row.client_id } });
    return presentMatterFor(w.tx, services.keyRing, ctx.actor, { ...(await findMatterRow(w.tx, matterId))!, relation: row.relation });
  });
}
