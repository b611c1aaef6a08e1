/**
 * Incidents at a partner (VEN-4): what happened there, whether the firm's client data was
 * involved, and the Custodia incident opened for it (src/response/incidents/, by id only).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { sealText } from "../../vault/sealed-text.js";
import type { PartnerIncidentInput } from "./partner-inputs.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";
import { readPartnerIn } from "./partner-view.js";

export async function recordPartnerIncident(services: Services, ctx: RequestContext, partnerId: string, input: PartnerIncidentInput, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.incident.record", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    if (input.incidentId && !(await w.tx.selectFrom("incidents").select("id").where("id", "=", input.incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    const id = uuidv7();
    await w.tx
      .insertInto("partner_incidents")
      .values({
        id,
        partner_id: partnerId,
        occurred_on: input.occurredOn,
        description_ct: sealText(services.vault, "partner_incidents", id, "description", input.description),
        client_data_involved: input.clientDataInvolved ? 1 : 0,
        incident_id: input.incidentId,
        recorded_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: { partnerIncidentId: id, clientDataInvolved: input.clientDataInvolved, incidentId: input.incidentId },
    });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}
