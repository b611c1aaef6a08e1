/**
 * May client data go to this partner? (VEN-1, VEN-2, PIPL Art 21, 38–39, 55; GDPR Chapter V.)
 * Pure, like the rest of the policy: the facts come from partnerSharingFacts
 * (src/governance/partners/partner-facts.ts), the disclosure states what it would send.
 *
 * Choices, so a reader does not have to guess them:
 * - A high-risk partner is refused outright: no override flag. Lower the risk (a new assessment
 *   after remediation) or end the relationship.
 * - An entrusted processor needs a current DPA or entrusted-processing agreement (Art 21); an NDA is
 *   enough only for independent or joint handlers. Both answer `partner_no_nda`.
 * - An unverified transfer basis suffices (a filing may be pending with the CAC), but the decision
 *   carries the `transfer_basis_unverified` warning for the approvers and the audit event.
 * - A cross-border transfer needs an impact assessment from the last 3 years whose conclusion is
 *   not "not acceptable" (Art 55–56).
 */
import type { Level } from "./roles.js";

export type PartnerSharingReason =
  | "partner_not_active"
  | "partner_not_assessed"
  | "partner_assessment_overdue"
  | "partner_high_risk"
  | "partner_no_nda"
  | "partner_contract_expired"
  | "partner_level_exceeded"
  | "partner_category_not_allowed"
  | "transfer_basis_missing"
  | "pia_missing";

export const PARTNER_SHARING_REASONS: readonly PartnerSharingReason[] = Object.freeze([
  "partner_not_active",
  "partner_not_assessed",
  "partner_assessment_overdue",
  "partner_high_risk",
  "partner_no_nda",
  "partner_contract_expired",
  "partner_level_exceeded",
  "partner_category_not_allowed",
  "transfer_basis_missing",
  "pia_missing",
]);

export type PartnerSharingWarning = "transfer_basis_unverified";

export type PartnerSharingDecision = { effect: "allow"; warnings: readonly PartnerSharingWarning[] } | { effect: "deny"; reason: PartnerSharingReason };

export interface PartnerSharingFacts {
  readonly status: string;
  readonly piplRole: string;
  /** ISO 3166-1 alpha-2. */
  readonly jurisdiction: string;
  /** The jurisdiction is in the EU/EEA or has an adequacy decision (GDPR Art 45; the list is src/governance/partners/partner.ts). */
  readonly withinGdprArea: boolean;
  readonly maxLevel: Level;
  readonly categories: readonly string[];
  /** The latest assessment, or null when never assessed. */
  readonly assessment: { readonly riskLevel: string; readonly reassessmentDueOn: string } | null;
  readonly contracts: readonly { readonly kind: string; readonly signedOn: string; readonly expiresOn: string | null; readonly terminatedOn: string | null }[];
  readonly transferBases: readonly {
    readonly destination: string;
    readonly regime: "pipl" | "gdpr";
    readonly validFrom: string;
    readonly validUntil: string | null;
    readonly verified: boolean;
  }[];
  readonly pias: readonly { readonly conductedOn: string; readonly conclusion: string }[];
}

export interface PartnerSharingRequest {
  /** The highest sensitivity level among the fields and documents to be sent. */
  readonly level: Level;
  readonly categories: readonly string[];
  /** Some of the clients' data is under the GDPR (an EU client): Chapter V applies too. */
  readonly gdprClient: boolean;
}

/** Where data may go without a PIPL transfer mechanism. */
const MAINLAND_CHINA = "CN";

const day = (at: Date) => at.toISOString().slice(0, 10);
const threeYearsBefore = (today: string) => `${Number(today.slice(0, 4)) - 3}${today.slice(4)}`;
const current = (from: string, until: string | null, today: string) => from <= today && (until === null || until >= today);

const ACCEPTED_CONTRACTS: Readonly<Record<string, readonly string[]>> = {
  // PIPL Art 21: entrusting processing takes an agreement settling the processor's obligations.
  entrusted_processor: ["dpa", "entrusted_processing"],
  independent_handler: ["nda", "dpa", "entrusted_processing"],
  joint_handler: ["nda", "dpa", "entrusted_processing"],
};

export function partnerSharingDecision(facts: PartnerSharingFacts, request: PartnerSharingRequest, at: Date): PartnerSharingDecision {
  const deny = (reason: PartnerSharingReason): PartnerSharingDecision => ({ effect: "deny", reason });
  const today = day(at);
  if (facts.status !== "active") return deny("partner_not_active");
  if (!facts.assessment) return deny("partner_not_assessed");
  if (facts.assessment.reassessmentDueOn < today) return deny("partner_assessment_overdue");
  if (facts.assessment.riskLevel === "high") return deny("partner_high_risk");

  const accepted = ACCEPTED_CONTRACTS[facts.piplRole] ?? ACCEPTED_CONTRACTS.entrusted_processor!;
  const relevant = facts.contracts.filter((c) => accepted.includes(c.kind) && c.signedOn <= today);
  const inForce = relevant.filter((c) => (c.terminatedOn === null || c.terminatedOn > today) && (c.expiresOn === null || c.expiresOn >= today));
  if (inForce.length === 0) return deny(relevant.some((c) => c.expiresOn !== null && c.expiresOn < today) ? "partner_contract_expired" : "partner_no_nda");

  if (request.level > facts.maxLevel) return deny("partner_level_exceeded");
  if (request.categories.some((c) => !facts.categories.includes(c))) return deny("partner_category_not_allowed");

  const bases = facts.transferBases.filter((b) => b.destination === facts.jurisdiction && current(b.validFrom, b.validUntil, today));
  const needed: ("pipl" | "gdpr")[] = [];
  if (facts.jurisdiction !== MAINLAND_CHINA) needed.push("pipl");
  if (request.gdprClient && !facts.withinGdprArea) needed.push("gdpr");
  const used = needed.map((regime) => bases.find((b) => b.regime === regime));
  if (used.some((b) => b === undefined)) return deny("transfer_basis_missing");
  if (needed.length > 0) {
    const since = threeYearsBefore(today);
    if (!facts.pias.some((p) => p.conductedOn >= since && p.conductedOn <= today && p.conclusion !== "not_acceptable")) return deny("pia_missing");
  }
  return { effect: "allow", warnings: used.some((b) => b && !b.verified) ? ["transfer_basis_unverified"] : [] };
}
