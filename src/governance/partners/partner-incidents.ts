/**
 * Incidents at a partner (VEN-4): what happened there, whether the firm's client data was
 * involved, and the Custodia incident opened for it (src/response/incidents/, by id only). A
 * breach notice may open that incident here and now (`openIncident`), with what the partner held
 * of the firm's clients as its blast radius (src/response/incidents/partner-notice.ts).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { Refusal, runAudited } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { sealText } from "../../vault/sealed-text.js";
import { openIncidentForPartnerNotice } from "../../response/incidents/partner-notice.js";
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
    let incidentId = input.incidentId;
    let clientsHeld: number | null = null;
    if (input.openIncident) {
      // The breach notice opens the incident in this unit of work: both rows, linked, or neither.
      const opened = await openIncidentForPartnerNotice(
        services,
        w,
        ctx,
        { partnerId, partnerIncidentId: id, occurredOn: input.occurredOn },
        input.openIncident,
        now,
      );
      if (opened instanceof Refusal) return opened;
      incidentId = opened.incidentId;
      clientsHeld = opened.clients;
    }
    await w.tx
      .insertInto("partner_incidents")
      .values({
        id,
        partner_id: partnerId,
        occurred_on: input.occurredOn,
        description_ct: sealText(services.vault, "partner_incidents", id, "description", input.description),
        client_data_involved: input.clientDataInvolved ? 1 : 0,
        incident_id: incidentId,
        recorded_by: ctx.actor.userId,
        created_at: now.toISOString(),
      })
      .execute();
    w.record({
      ...event,
      outcome: "success",
      details: { partnerIncidentId: id, clientDataInvolved: input.clientDataInvolved, incidentId, openedIncident: Boolean(input.openIncident), clientsHeld },
    });
    return (await readPartnerIn(services, w.tx, partnerId, now))!;
  });
}
