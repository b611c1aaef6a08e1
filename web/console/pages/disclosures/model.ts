/**
 * Shapes of the disclosures API (src/http/routes/disclosures/schema.ts) as the console reads them,
 * and the codes it labels. The API decides every disclosure; these only fill pickers and labels.
 */
export const LEGAL_BASES = ["contract", "legal_claims", "legal_duty", "consent"] as const;
export const HOLDING_STATUSES = ["held", "return_requested", "returned", "deleted_confirmed"] as const;
export const OUTSTANDING: readonly string[] = ["held", "return_requested"];
export const STATUS_COLOURS: Record<string, string> = { held: "orange", return_requested: "gold", returned: "green", deleted_confirmed: "green" };
/** DISCLOSURE_REFERENCE: a ticket or file number. */
export const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/**
 * Refusals the disclosure command answers with, each shown as a sentence (disclosures.refusal.*).
 * Anything else is shown with the API's own message.
 */
export const REFUSALS = [
  "role_lacks_permission",
  "purpose_not_permitted",
  "not_on_matter",
  "consent_required",
  "approval_required",
  "not_found",
  "client_erased",
  "record_erased",
  "recipient_consent_required",
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
  "validation_error",
] as const;

export interface SentField {
  field: string;
  rule: string;
  method: string | null;
}
export interface Holding {
  clientId: string;
  approvalRequestId: string;
  grantId: string;
  fields: SentField[];
  packageRef: string | null;
  status: (typeof HOLDING_STATUSES)[number];
  returnRequestedAt: string | null;
  returnReason: string | null;
  confirmedAt: string | null;
  confirmationReference: string | null;
  confirmedBy: string | null;
}
export interface Disclosure {
  id: string;
  partner: { id: string; name: string };
  requesterId: string;
  purpose: string;
  legalBasis: string;
  profile: { code: string; version: number };
  reference: string | null;
  warnings: string[];
  createdAt: string;
  manifest: {
    profile: { code: string; version: number; nameZh: string; nameEn: string; identifying: boolean; sealed: boolean };
    fields: SentField[];
    omitted: string[];
    recordCount: number;
    recordsSha256: string;
  };
  digests: { jsonSha256: string; csvSha256: string | null; sealedSha256: string | null };
  holdings: Holding[];
}
export interface DisclosureResult {
  disclosureId: string;
  createdAt: string;
  partner: { id: string; name: string };
  profile: { code: string; version: number; sealed: boolean };
  clientIds: string[];
  warnings: string[];
  package: { json: string | null; csv: string | null; sealed: string | null; sealedKey: string | null };
  record: { jsonSha256: string; csvSha256: string | null; sealedSha256: string | null; recordsSha256: string };
}
export interface PartnerHoldings {
  partnerId: string;
  outstanding: number;
  disclosures: { id: string; createdAt: string; purpose: string; profile: { code: string; version: number }; holdings: Holding[] }[];
}
export interface ProfileOption {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  sealed: boolean;
  identifying: boolean;
}
export interface PurposeOption {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** The holdings' state in one word: how many clients the partner still holds of this disclosure. */
export const outstandingOf = (holdings: readonly Holding[]) => holdings.filter((h) => OUTSTANDING.includes(h.status)).length;

/** Who may ask for a return and record a confirmation: compliance, or whoever made the disclosure (as the API decides). */
export const mayManageReturns = (me: { userId: string; permissions: readonly string[] }, requesterId: string) =>
  me.permissions.includes("partner.manage") || me.userId === requesterId;
