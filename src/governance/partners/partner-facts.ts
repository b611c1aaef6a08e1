/**
 * partnerSharingFacts: what the sharing rule (src/access/policy/partner-sharing.ts) needs to know
 * about one partner, read in the caller's transaction. Reads only; the disclosure that uses it
 * audits its own decision.
 */
import type { PartnerSharingFacts } from "../../access/policy/partner-sharing.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPartner, DbPartnerAssessment, DbPartnerContract, DbPartnerPia, DbPartnerTransferBasis } from "../../platform/db/schema.js";
import { isPiplMechanism, isWithinGdprArea, toLevel } from "./partner.js";

/** Contracts running out within this many days are flagged (partnersNeedingAttention). */
export const EXPIRY_WARNING_DAYS = 30;

export interface PartnerRows {
  partner: DbPartner;
  /** Confirmed assessments only, oldest first (ids are time-ordered): a partner's own answers count once compliance confirms them. */
  assessments: DbPartnerAssessment[];
  contracts: DbPartnerContract[];
  pias: DbPartnerPia[];
  transferBases: DbPartnerTransferBasis[];
}

export async function loadPartnerRows(tx: Tx, partnerId: string): Promise<PartnerRows | null> {
  const partner = await tx.selectFrom("partners").selectAll().where("id", "=", partnerId).executeTakeFirst();
  if (!partner) return null;
  const [assessments, contracts, pias, transferBases] = await Promise.all([
    tx
      .selectFrom("partner_assessments")
      .selectAll()
      .where("partner_id", "=", partnerId)
      .where("review_status", "=", "confirmed")
      .orderBy("assessed_on")
      .orderBy("id")
      .execute(),
    tx.selectFrom("partner_contracts").selectAll().where("partner_id", "=", partnerId).orderBy("signed_on").orderBy("id").execute(),
    tx.selectFrom("partner_pias").selectAll().where("partner_id", "=", partnerId).orderBy("conducted_on").orderBy("id").execute(),
    tx.selectFrom("partner_transfer_bases").selectAll().where("partner_id", "=", partnerId).orderBy("valid_from").orderBy("id").execute(),
  ]);
  return { partner, assessments, contracts, pias, transferBases };
}

export const contractInForce = (c: Pick<DbPartnerContract, "signed_on" | "expires_on" | "terminated_on">, today: string): boolean =>
  c.signed_on <= today && (c.expires_on === null || c.expires_on >= today) && (c.terminated_on === null || c.terminated_on > today);

export function factsFrom(rows: PartnerRows): PartnerSharingFacts {
  const { partner } = rows;
  const latest = rows.assessments.at(-1);
  return {
    status: partner.status,
    piplRole: partner.pipl_role,
    jurisdiction: partner.jurisdiction,
    withinGdprArea: isWithinGdprArea(partner.jurisdiction),
    maxLevel: toLevel(partner.max_level),
    categories: JSON.parse(partner.data_categories) as string[],
    assessment: latest ? { riskLevel: latest.risk_level, reassessmentDueOn: latest.reassessment_due_on } : null,
    contracts: rows.contracts.map((c) => ({ kind: c.kind, signedOn: c.signed_on, expiresOn: c.expires_on, terminatedOn: c.terminated_on })),
    transferBases: rows.transferBases.map((b) => ({
      destination: b.destination,
      regime: isPiplMechanism(b.mechanism) ? "pipl" : "gdpr",
      validFrom: b.valid_from,
      validUntil: b.valid_until,
      verified: b.verified === 1,
    })),
    pias: rows.pias.map((p) => ({ conductedOn: p.conducted_on, conclusion: p.conclusion })),
  };
}

/** The facts for one partner, or null when there is no such partner. `at` is kept for symmetry with the rule. */
export async function partnerSharingFacts(tx: Tx, partnerId: string, _at: Date = new Date()): Promise<PartnerSharingFacts | null> {
  const rows = await loadPartnerRows(tx, partnerId);
  return rows ? factsFrom(rows) : null;
}
