/**
 * The partner register's vocabulary (VEN-1..4): who the firm shares with, in what role under PIPL,
 * where, and what it may receive.
 */
import type { Level } from "../../access/policy/roles.js";
import type { DataCategory } from "../../records/clients/fields.js";
import { DOCUMENT_CATEGORIES, type DocumentCategory } from "../../records/documents/document.js";

export const PARTNER_KINDS = ["vendor", "co_counsel", "expert", "court_authority", "client_representative", "cloud_provider", "translator", "auditor"] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** PIPL Art 20–21: an entrusted processor acts on the firm's instructions; a handler decides for itself. */
export const PIPL_ROLES = ["entrusted_processor", "independent_handler", "joint_handler"] as const;
export type PiplRole = (typeof PIPL_ROLES)[number];

export const PARTNER_STATUSES = ["prospective", "active", "suspended", "ended"] as const;
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

/** Client field categories (records/clients/fields.ts) and document categories: what may be shared. */
const CLIENT_CATEGORIES = ["identity", "government_id", "contact", "case_notes", "processing"] as const satisfies readonly DataCategory[];
export const PARTNER_DATA_CATEGORIES = [...CLIENT_CATEGORIES, ...DOCUMENT_CATEGORIES] as const;
export type PartnerDataCategory = DataCategory | DocumentCategory;

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const CONTRACT_KINDS = ["dpa", "entrusted_processing", "nda", "standard_contract"] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** PIPL Art 21: what an entrusted-processing agreement must settle. */
export const ART21_OBLIGATIONS = ["purpose", "period", "method", "categories", "protection_measures", "rights_and_duties", "return_or_deletion"] as const;
export type Art21Obligation = (typeof ART21_OBLIGATIONS)[number];
export type ObligationChecklist = Record<Art21Obligation, { met: boolean; note: string | null }>;

/** PIPL Art 38 mechanisms, then GDPR Chapter V (Art 45, 46, 47, 49). */
export const PIPL_MECHANISMS = ["cac_security_assessment", "standard_contract_filing", "certification", "exemption"] as const;
export const GDPR_MECHANISMS = ["adequacy", "sccs", "bcrs", "derogation"] as const;
export const TRANSFER_MECHANISMS = [...PIPL_MECHANISMS, ...GDPR_MECHANISMS] as const;
export type TransferMechanism = (typeof TRANSFER_MECHANISMS)[number];
export const isPiplMechanism = (m: string): boolean => (PIPL_MECHANISMS as readonly string[]).includes(m);

export const PIA_CONCLUSIONS = ["acceptable", "acceptable_with_measures", "not_acceptable"] as const;
export type PiaConclusion = (typeof PIA_CONCLUSIONS)[number];

/** PIPL Art 56: impact assessment reports and processing records are kept at least three years. */
export const PIA_RETENTION_YEARS = 3;

export const MAINLAND_CHINA = "CN";

/** EU and EEA member states: GDPR data moves freely among them. */
export const EU_EEA = [
  "AT",
  "BE",
  "BG",
  "HR",
  "CY",
  "CZ",
  "DK",
  "EE",
  "FI",
  "FR",
  "DE",
  "GR",
  "HU",
  "IE",
  "IT",
  "LV",
  "LT",
  "LU",
  "MT",
  "NL",
  "PL",
  "PT",
  "RO",
  "SK",
  "SI",
  "ES",
  "SE",
  "IS",
  "LI",
  "NO",
] as const;

/**
 * Countries with a European Commission adequacy decision (GDPR Art 45), as data to review: the US
 * decision covers only organisations certified under the Data Privacy Framework, so it is left out
 * and a US partner needs its own basis (SCCs, or a DPF adequacy record per partner).
 */
export const GDPR_ADEQUATE = ["AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"] as const;

export const isWithinGdprArea = (country: string): boolean =>
  (EU_EEA as readonly string[]).includes(country) || (GDPR_ADEQUATE as readonly string[]).includes(country);

export const toLevel = (n: number): Level => Math.min(4, Math.max(1, Math.trunc(n))) as Level;

/** A calendar day plus whole months or years, as YYYY-MM-DD (UTC). */
export function addMonths(day: string, months: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target.toISOString().slice(0, 10);
}

export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
