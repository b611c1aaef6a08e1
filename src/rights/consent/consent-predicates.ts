/**
 * Pure predicates for the consent part of the read policy (PIPL Art. 13, 14, 29). The decision
 * itself is taken in src/access/policy/policy.ts; these only answer narrow questions about one purpose.
 */
import type { Level } from "../../access/policy/roles.js";
import type { LegalBasis } from "./legal-basis.js";

/** Sensitive personal information (PIPL Art. 28): the L4 fields of the schema registry. */
export const SENSITIVE_LEVEL: Level = 4;

/** The client's current consent for one purpose: none (never given, or withdrawn), given, or given separately. */
export type ConsentState = "none" | "granted" | "separate";

/** What the policy needs to know about the declared purpose for this client. */
export interface ConsentTerms {
  readonly legalBasis: LegalBasis;
  /** The firm requires a separate consent for L4 fields under this purpose, whatever its basis. */
  readonly separateForSensitive: boolean;
  readonly consent: ConsentState;
}

/** A purpose that rests on consent may not be used at all without a current consent (PIPL Art. 13(1)). */
export const consentMissing = (terms: ConsentTerms): boolean => terms.legalBasis === "consent" && terms.consent === "none";

/**
 * Separate consent for sensitive information (PIPL Art. 29) is needed when the purpose rests on
 * consent, or when the firm asks for it anyway. Other bases (contract, legal duty …) need none.
 */
export const separateConsentNeeded = (terms: ConsentTerms): boolean =>
  (terms.legalBasis === "consent" || terms.separateForSensitive) && terms.consent !== "separate";

/**
 * Fields the reader's clearance would show but which stay masked for want of a separate consent.
 * Fields above clearance are masked anyway and are not listed here.
 */
export function sensitiveWithoutSeparateConsent(terms: ConsentTerms, fieldLevels: Readonly<Record<string, Level>>, clearance: Level): string[] {
  if (!separateConsentNeeded(terms)) return [];
  return Object.entries(fieldLevels)
    .filter(([, level]) => level >= SENSITIVE_LEVEL && level <= clearance)
    .map(([field]) => field);
}
