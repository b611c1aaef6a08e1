/** The register list: every partner with its status, risk, next re-assessment and readiness to receive data. */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { PARTNER_STATUSES, type PartnerStatus } from "./partner.js";
import { loadPartnerRows } from "./partner-facts.js";
import { refusedUnless } from "./partner-guard.js";
import { standing } from "./partner-view.js";

export async function listPartners(services: Services, ctx: RequestContext, filter: { status?: PartnerStatus | undefined } = {}, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.list", targetType: "partner", targetId: null };
    const refused = refusedUnless(w, ctx, "partner.read", event);
    if (refused) return refused;
    let q = w.tx.selectFrom("partners").select("id").orderBy("name").orderBy("id");
    if (filter.status && (PARTNER_STATUSES as readonly string[]).includes(filter.status)) q = q.where("status", "=", filter.status);
    const items = [];
    // A firm has tens of partners, not thousands: one read per partner keeps the rule's inputs in one place.
    for (const { id } of await q.execute()) {
      const rows = (await loadPartnerRows(w.tx, id))!;
      const p = rows.partner;
      items.push({
        id: p.id,
        name: p.name,
        kind: p.kind,
        piplRole: p.pipl_role,
        jurisdiction: p.jurisdiction,
        status: p.status,
        maxLevel: p.max_level,
        ...standing(rows, now),
      });
    }
    w.record({ ...event, outcome: "success", details: { count: items.length, status: filter.status ?? null } });
    return { items };
  });
}
