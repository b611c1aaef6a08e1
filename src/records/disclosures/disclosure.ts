/**
 * The disclosure action's vocabulary (issue #13, APR-2, VEN-2/3, CON-2, RET-3): legal bases and
 * when each needs the client's consent to the recipient, what level and category a field carries
 * in the form it leaves in, holding statuses and error codes. Data and pure functions, no I/O.
 */
import type { Level } from "../../access/policy/roles.js";
import { AppError } from "../../platform/errors.js";
import type { DeidentificationProfile, FieldRule, ProfileField } from "../../vault/deidentification/profile.js";
import { CLIENT_FIELDS, type DataCategory } from "../clients/fields.js";

export const MAX_CLIENTS = 500;
/** A ticket or file number backing a disclosure or a confirmation: letters, digits and . _ : / - only. */
export const DISCLOSURE_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/;

/**
 * Legal bases for handing data to another organisation, and whether the client's consent to that
 * recipient is needed (editable here as data; not legal advice):
 * - `consent`: PIPL Art 23 — providing to another handler on the ground of consent takes a separate
 *   consent naming the recipient.
 * - `contract`: necessary to perform the engagement (Art 13(2)); no consent to the recipient, but
 *   sensitive information sent in full still needs a separate consent (Art 29).
 * - `legal_duty`: a statutory duty (Art 13(3)), e.g. a regulator's demand: no consent needed.
 * - `legal_claims`: a court or arbitration filing establishing or defending the client's claims:
 *   no consent needed, sensitive fields included (the firm cannot make a filing depend on consent).
 */
export const DISCLOSURE_LEGAL_BASES = ["consent", "contract", "legal_duty", "legal_claims"] as const;
export type DisclosureLegalBasis = (typeof DISCLOSURE_LEGAL_BASES)[number];

export const RECIPIENT_CONSENT_RULES: Readonly<Record<DisclosureLegalBasis, { always: boolean; forSensitive: boolean; article: string }>> = Object.freeze({
  consent: { always: true, forSensitive: true, article: "PIPL 23, 29" },
  contract: { always: false, forSensitive: true, article: "PIPL 13(2), 29" },
  legal_duty: { always: false, forSensitive: false, article: "PIPL 13(3)" },
  legal_claims: { always: false, forSensitive: false, article: "PIPL 13(3); Civil Procedure Law" },
});

/** Sensitive personal information (PIPL Art 28): what leaves at L4. */
export const SENSITIVE_LEVEL: Level = 4;

export const recipientConsentNeeded = (basis: DisclosureLegalBasis, sendsSensitive: boolean): boolean =>
  RECIPIENT_CONSENT_RULES[basis].always || (sendsSensitive && RECIPIENT_CONSENT_RULES[basis].forSensitive);

export const HOLDING_STATUSES = ["held", "return_requested", "returned", "deleted_confirmed"] as const;
export type HoldingStatus = (typeof HOLDING_STATUSES)[number];
export const RETURN_REASONS = ["request", "relationship_ended", "client_destroyed"] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
/** A holding still outside the firm: asked back or not, nothing confirmed yet. */
export const OUTSTANDING: readonly HoldingStatus[] = ["held", "return_requested"];

const registry = new Map<string, { level: Level; category: DataCategory }>(CLIENT_FIELDS.map((f) => [f.key, { level: f.level, category: f.category }]));

/**
 * The level a field carries in the form it leaves in. Kept in full it is the registry's level; a
 * masked value one level less (a masked ID number still shows region and last digits); a
 * generalisation (birth year, province, gender) L2; a pseudonym L1. The firm's client id kept in
 * full is an internal number (L1, processing).
 */
export function sentLevel(field: ProfileField, rule: FieldRule): Level {
  const base: Level = field === "clientId" ? 1 : (registry.get(field)?.level ?? 4);
  switch (rule.rule) {
    case "keep":
      return base;
    case "mask":
      return Math.max(1, base - 1) as Level;
    case "generalise":
      return Math.min(base, 2) as Level;
    default:
      return 1;
  }
}

/** The data category a sent field belongs to; a pseudonym carries none (it is the disclosure's own number). */
export function sentCategory(field: ProfileField, rule: FieldRule): DataCategory | null {
  if (rule.rule === "pseudonym") return null;
  return field === "clientId" ? "processing" : (registry.get(field)?.category ?? "processing");
}

export interface SentField {
  field: ProfileField;
  rule: FieldRule;
  level: Level;
  category: DataCategory | null;
}

/** Every field the profile sends, with its level and category in the form it leaves in. */
export function sentFields(profile: Pick<DeidentificationProfile, "fields">): SentField[] {
  return (Object.entries(profile.fields) as [ProfileField, FieldRule | undefined][]).flatMap(([field, rule]) =>
    rule && rule.rule !== "omit" ? [{ field, rule, level: sentLevel(field, rule), category: sentCategory(field, rule) }] : [],
  );
}

/** What the sharing rule is asked: the highest level and the categories that leave. */
export function sharingRequestOf(fields: readonly SentField[]): { level: Level; categories: string[]; sensitive: boolean } {
  const level = Math.max(1, ...fields.map((f) => f.level)) as Level;
  const categories = [...new Set(fields.flatMap((f) => (f.category ? [f.category] : [])))].sort();
  return { level, categories, sensitive: level >= SENSITIVE_LEVEL };
}

/**
 * Whether a client's data is under the GDPR (Chapter V applies to sending it on). Clients record no
 * nationality or residence, so a passport holder counts as foreign and is treated as a GDPR client:
 * the stricter reading, since the firm cannot tell an EU passport from another here.
 */
export const isGdprClient = (client: { idType: string | null }): boolean => client.idType === "passport";

export const RecipientConsentRequiredError = () =>
  new AppError(403, "recipient_consent_required", "The client has not consented to this recipient; record the separate consent first.");
export const PartnerSharingRefusedError = (reason: string) => new AppError(403, reason, "The partner may not receive this data now.");
export const HoldingNotOutstandingError = () =>
  new AppError(409, "holding_not_outstanding", "The partner's return or deletion of this data was already confirmed.");
