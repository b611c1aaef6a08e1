// Mirrors src/governance/partners/partner.ts and the API's answers (the API validates; these fill pickers).
export const KINDS = ["vendor", "co_counsel", "expert", "court_authority", "client_representative", "cloud_provider", "translator", "auditor"] as const;
export const PIPL_ROLES = ["entrusted_processor", "independent_handler", "joint_handler"] as const;
export const STATUSES = ["prospective", "active", "suspended", "ended"] as const;
export const CATEGORIES = [
  "identity",
  "government_id",
  "contact",
  "case_notes",
  "processing",
  "case_file",
  "contract",
  "identity_proof",
  "financial_record",
  "correspondence",
  "other",
] as const;
export const CONTRACT_KINDS = ["dpa", "entrusted_processing", "nda", "standard_contract"] as const;
export const OBLIGATIONS = ["purpose", "period", "method", "categories", "protection_measures", "rights_and_duties", "return_or_deletion"] as const;
export const MECHANISMS = [
  "cac_security_assessment",
  "standard_contract_filing",
  "certification",
  "exemption",
  "adequacy",
  "sccs",
  "bcrs",
  "derogation",
] as const;
export const CONCLUSIONS = ["acceptable", "acceptable_with_measures", "not_acceptable"] as const;
export const STATUS_COLOURS: Record<string, string> = { prospective: "blue", active: "green", suspended: "orange", ended: "default" };
export const RISK_COLOURS: Record<string, string> = { low: "green", medium: "gold", high: "red" };

export interface Standing {
  risk: { level: string; assessedOn: string; reassessmentDueOn: string; overdue: boolean } | null;
  contractsExpiringSoon: number;
  readiness: { ready: boolean; reason: string | null };
}
export interface ListedPartner extends Standing {
  id: string;
  name: string;
  kind: string;
  piplRole: string;
  jurisdiction: string;
  status: string;
  maxLevel: number;
}
export interface RiskReason {
  question: string;
  answer: string | null;
  risk: string;
}
export interface Partner extends ListedPartner {
  crossBorder: boolean;
  services: string;
  dataCategories: string[];
  createdAt: string;
  contacts: { id: string; name: string; email: string | null; phone: string | null }[];
  assessments: {
    id: string;
    assessedOn: string;
    assessorId: string;
    riskLevel: string;
    reasons: RiskReason[];
    answers: Record<string, string>;
    reassessmentDueOn: string;
    /** partner: answered by the contact through a one-time link; it counts once compliance confirms it. */
    answeredBy: "staff" | "partner";
    contactId: string | null;
    reviewStatus: "confirmed" | "pending_review" | "rejected";
    reviewedBy: string | null;
    reviewedAt: string | null;
  }[];
  questionnaireLinks: QuestionnaireLink[];
  contracts: {
    id: string;
    kind: string;
    version: string;
    signedOn: string;
    expiresOn: string | null;
    terminatedOn: string | null;
    obligations: Record<string, { met: boolean; note: string | null }>;
    documentId: string | null;
    current: boolean;
  }[];
  pias: { id: string; conductedOn: string; summary: string; conclusion: string; keepUntil: string }[];
  transferBases: {
    id: string;
    destination: string;
    mechanism: string;
    regime: string;
    reference: string;
    validFrom: string;
    validUntil: string | null;
    verified: boolean;
    piaId: string | null;
    current: boolean;
  }[];
  incidents: { id: string; occurredOn: string; description: string; clientDataInvolved: boolean; incidentId: string | null; recordedBy: string }[];
}
export interface QuestionnaireLink {
  id: string;
  contactId: string;
  language: string;
  status: "active" | "used" | "revoked" | "expired";
  issuedBy: string;
  issuedAt: string;
  expiresAt: string;
  emailed: boolean;
  usedAt: string | null;
  assessmentId: string | null;
}
export interface Question {
  code: string;
  textZh: string;
  textEn: string;
  kind: "yes_no" | "choice" | "text";
  riskByAnswer: Record<string, string>;
  active: boolean;
}

/** A country's name in the console's language, from its ISO 3166-1 code. */
export function countryName(code: string, lang: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: "region" }).of(code) ?? code;
  } catch {
    return code;
  }
}
