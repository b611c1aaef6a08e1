/**
 * A partner's breach notice opens a Custodia incident (issue #13, VEN-4, INC-1..3), in the unit of
 * work that records the partner incident, so the two are linked both ways from the start
 * (partner_incidents.incident_id, and the incident reads its notices back). Its blast radius is
 * what the partner held of the firm's clients on the day of the breach, from the disclosure
 * holdings, field by field in the form each left in: only fields sent in full count as exposed in
 * clear (a masked ID number or a birth year does not), and every client held counts as data that
 * left the firm.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ValidationError } from "../../platform/errors.js";
import type { IncidentCause, RemedialMeasure } from "../../platform/i18n/incident-notices.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { FIELD_LEVELS, type PersonalField } from "../../records/clients/fields.js";
import { type AffectedClient, affectedFromExposures, type PartnerExposure, partnerExposures, type SentField } from "./blast-radius.js";
import type { IncidentCategory } from "./incident.js";
import { insertIncident } from "./incident-commands.js";

export interface PartnerNoticeIncidentInput {
  category: IncidentCategory;
  cause: IncidentCause;
  measures: RemedialMeasure[];
  /** At least the number of clients the partner held; more if the notice says so. */
  peopleAffected?: number | undefined;
  l4Involved?: boolean | undefined;
  euSubjects?: boolean | undefined;
  awareAt?: string | undefined;
  contact: string;
}

/** Opens the incident for a partner's notice in the caller's unit of work; the caller records the partner incident with its id. */
export async function openIncidentForPartnerNotice(
  services: Services,
  w: AuditedWork,
  ctx: RequestContext,
  notice: { partnerId: string; partnerIncidentId: string; occurredOn: string },
  input: PartnerNoticeIncidentInput,
  now = new Date(),
): Promise<Refusal | { incidentId: string; clients: number }> {
  const id = uuidv7();
  const event = { action: "incident.open", targetType: "incident", targetId: id };
  const decision = authorize(ctx.actor, "incident.manage");
  if (decision.effect === "deny") return w.deny(decision, event);
  const at = now.toISOString();
  if (input.awareAt && input.awareAt > at)
    return w.refuse(ValidationError([{ field: "openIncident.awareAt", code: "in_future", message: "The time lies in the future." }]), event, "failure");
  const exposures = await partnerExposures(w.tx, notice.partnerId, notice.occurredOn);
  const affected = affectedFromExposures(exposures);
  const l4 = affected.some((a) => a.fields.some((f) => FIELD_LEVELS[f as PersonalField] === 4));
  const row = await insertIncident(
    services,
    w,
    { id, by: ctx.actor.userId, lead: ctx.actor.userId, now: at },
    {
      source: "partner_notice",
      category: input.category,
      cause: input.cause,
      measures: input.measures,
      peopleAffected: Math.max(input.peopleAffected ?? 0, affected.length),
      l4Involved: Boolean(input.l4Involved) || l4,
      leftFirm: true,
      euSubjects: Boolean(input.euSubjects),
      awareAt: input.awareAt,
      contact: input.contact,
    },
  );
  await storeExposures(w.tx, id, exposures, affected, at);
  w.record({
    ...event,
    outcome: "success",
    details: {
      source: row.source,
      category: row.category,
      severity: row.severity,
      duties: row.duties,
      partnerId: notice.partnerId,
      partnerIncidentId: notice.partnerIncidentId,
    },
  });
  w.record({
    action: "incident.blast_radius",
    targetType: "incident",
    targetId: id,
    outcome: "success",
    details: { partnerId: notice.partnerId, clients: affected.length, disclosures: new Set(exposures.map((e) => e.disclosureId)).size, severity: row.severity },
  });
  return { incidentId: id, clients: affected.length };
}

async function storeExposures(tx: Tx, incidentId: string, exposures: readonly PartnerExposure[], affected: readonly AffectedClient[], at: string) {
  for (let i = 0; i < exposures.length; i += 200) {
    await tx
      .insertInto("incident_partner_exposures")
      .values(
        exposures.slice(i, i + 200).map((e) => ({
          incident_id: incidentId,
          partner_id: e.partnerId,
          disclosure_id: e.disclosureId,
          client_id: e.clientId,
          fields: JSON.stringify(e.fields),
          computed_at: at,
        })),
      )
      .execute();
  }
  for (let i = 0; i < affected.length; i += 200) {
    await tx
      .insertInto("incident_affected_clients")
      .values(
        affected
          .slice(i, i + 200)
          .map((a) => ({ incident_id: incidentId, client_id: a.clientId, fields: JSON.stringify(a.fields), exported: 1, computed_at: at })),
      )
      .execute();
  }
}

/** The partner part of an incident's blast radius, as stored when the notice opened it. */
export async function storedPartnerExposures(tx: Tx, incidentId: string): Promise<PartnerExposure[]> {
  const rows = await tx
    .selectFrom("incident_partner_exposures")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("client_id")
    .orderBy("disclosure_id")
    .execute();
  return rows.map((r) => ({ partnerId: r.partner_id, disclosureId: r.disclosure_id, clientId: r.client_id, fields: JSON.parse(r.fields) as SentField[] }));
}

/** The partner notices that opened or are linked to this incident (the reverse of partner_incidents.incident_id). */
export async function partnerNoticesOf(tx: Tx, incidentId: string) {
  const rows = await tx
    .selectFrom("partner_incidents as pi")
    .innerJoin("partners as p", "p.id", "pi.partner_id")
    .select(["pi.id", "pi.partner_id", "p.name", "pi.occurred_on", "pi.client_data_involved"])
    .where("pi.incident_id", "=", incidentId)
    .orderBy("pi.occurred_on")
    .orderBy("pi.id")
    .execute();
  return rows.map((r) => ({
    partnerIncidentId: r.id,
    partnerId: r.partner_id,
    partnerName: r.name,
    occurredOn: r.occurred_on,
    clientDataInvolved: r.client_data_involved === 1,
  }));
}
