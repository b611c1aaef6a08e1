/**
 * What the register shows of a partner: an allow-list of fields, contacts opened from the vault,
 * and whether the partner is ready to receive data at all (the sharing rule at its lowest bar).
 */
import { partnerSharingDecision, type PartnerSharingDecision } from "../../access/policy/partner-sharing.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { openText } from "../../vault/sealed-text.js";
import { dayOf, isPiplMechanism, MAINLAND_CHINA, type ObligationChecklist, type RiskLevel } from "./partner.js";
import { contractInForce, EXPIRY_WARNING_DAYS, factsFrom, loadPartnerRows, type PartnerRows } from "./partner-facts.js";
import type { RiskReason } from "./risk-scoring.js";
import { linksOf } from "./questionnaire-links.js";

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Where the partner stands, for the register list and the partner's page. */
export function standing(rows: PartnerRows, at: Date) {
  const today = dayOf(at);
  const latest = rows.assessments.at(-1) ?? null;
  const soon = addDays(today, EXPIRY_WARNING_DAYS);
  const readiness: PartnerSharingDecision = partnerSharingDecision(factsFrom(rows), { level: 1, categories: [], gdprClient: false }, at);
  return {
    risk: latest
      ? {
          level: latest.risk_level as RiskLevel,
          assessedOn: latest.assessed_on,
          reassessmentDueOn: latest.reassessment_due_on,
          overdue: latest.reassessment_due_on < today,
        }
      : null,
    contractsExpiringSoon: rows.contracts.filter((c) => contractInForce(c, today) && c.expires_on !== null && c.expires_on <= soon).length,
    readiness: readiness.effect === "allow" ? { ready: true, reason: null } : { ready: false, reason: readiness.reason },
  };
}

export async function readPartnerIn(services: Services, tx: Tx, id: string, at: Date) {
  const rows = await loadPartnerRows(tx, id);
  if (!rows) return null;
  const { partner: p } = rows;
  const today = dayOf(at);
  const open = (table: string, rowId: string, field: string, sealed: string | null) =>
    sealed === null ? null : openText(services.vault, table, rowId, field, sealed);
  const contacts = await tx.selectFrom("partner_contacts").selectAll().where("partner_id", "=", id).orderBy("id").execute();
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    piplRole: p.pipl_role,
    jurisdiction: p.jurisdiction,
    crossBorder: p.jurisdiction !== MAINLAND_CHINA,
    services: p.services,
    dataCategories: JSON.parse(p.data_categories) as string[],
    maxLevel: p.max_level,
    status: p.status,
    createdBy: p.created_by,
    createdAt: p.created_at,
    updatedAt: p.updated_at,
    ...standing(rows, at),
    contacts: contacts.map((c) => ({
      id: c.id,
      name: open("partner_contacts", c.id, "name", c.name_ct)!,
      email: open("partner_contacts", c.id, "email", c.email_ct),
      phone: open("partner_contacts", c.id, "phone", c.phone_ct),
    })),
    // Every assessment, newest first, with whether it counts: a partner's own answers wait for compliance.
    assessments: (
      await tx.selectFrom("partner_assessments").selectAll().where("partner_id", "=", id).orderBy("assessed_on", "desc").orderBy("id", "desc").execute()
    ).map((a) => ({
      id: a.id,
      assessedOn: a.assessed_on,
      assessorId: a.assessor_id,
      riskLevel: a.risk_level as RiskLevel,
      reasons: JSON.parse(a.reasons) as RiskReason[],
      answers: JSON.parse(a.answers) as Record<string, string>,
      reassessmentDueOn: a.reassessment_due_on,
      answeredBy: a.answered_by as "staff" | "partner",
      contactId: a.contact_id,
      reviewStatus: a.review_status as "confirmed" | "pending_review" | "rejected",
      reviewedBy: a.reviewed_by,
      reviewedAt: a.reviewed_at,
    })),
    contracts: rows.contracts.map((c) => ({
      id: c.id,
      kind: c.kind,
      version: c.version,
      signedOn: c.signed_on,
      expiresOn: c.expires_on,
      terminatedOn: c.terminated_on,
      obligations: JSON.parse(c.obligations) as ObligationChecklist,
      documentId: c.document_id,
      current: contractInForce(c, today),
      createdAt: c.created_at,
    })),
    pias: rows.pias.map((r) => ({
      id: r.id,
      conductedOn: r.conducted_on,
      summary: open("partner_pias", r.id, "summary", r.summary_ct)!,
      conclusion: r.conclusion,
      keepUntil: r.keep_until,
    })),
    transferBases: rows.transferBases.map((b) => ({
      id: b.id,
      destination: b.destination,
      mechanism: b.mechanism,
      regime: isPiplMechanism(b.mechanism) ? ("pipl" as const) : ("gdpr" as const),
      reference: b.reference,
      validFrom: b.valid_from,
      validUntil: b.valid_until,
      verified: b.verified === 1,
      piaId: b.pia_id,
      current: b.valid_from <= today && (b.valid_until === null || b.valid_until >= today),
    })),
    questionnaireLinks: await linksOf(tx, id, at),
    incidents: (await tx.selectFrom("partner_incidents").selectAll().where("partner_id", "=", id).orderBy("occurred_on", "desc").orderBy("id").execute()).map(
      (i) => ({
        id: i.id,
        occurredOn: i.occurred_on,
        description: open("partner_incidents", i.id, "description", i.description_ct)!,
        clientDataInvolved: i.client_data_involved === 1,
        incidentId: i.incident_id,
        recordedBy: i.recorded_by,
        createdAt: i.created_at,
      }),
    ),
  };
}

export type PresentedPartner = NonNullable<Awaited<ReturnType<typeof readPartnerIn>>>;
