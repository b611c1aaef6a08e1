/**
 * The read path's one look-up for consent: the declared purpose's legal basis and the client's
 * current consent to it, in the shape the policy decides on (src/access/policy/policy.ts).
 */
import type { Tx } from "../../platform/db/engine.js";
import type { ConsentTerms } from "./consent-predicates.js";
import { findCurrentConsent, findPurposeTerms } from "./consent-store.js";
import { stateOf } from "./consent.js";
import { isLegalBasis } from "./legal-basis.js";

/**
 * Returns a loader for one purpose, used once per read or once per search: the purpose row is read
 * once, the client's consent only when the purpose's terms make it matter.
 */
export async function consentTermsLoader(tx: Tx, purpose: string): Promise<(clientId: string) => Promise<ConsentTerms>> {
  const row = await findPurposeTerms(tx, purpose);
  // A basis the code does not know is treated as consent: the strictest reading, never the loosest.
  const legalBasis = row && isLegalBasis(row.legal_basis) ? row.legal_basis : "consent";
  const separateForSensitive = row ? row.requires_separate_consent_for_sensitive === 1 : true;
  const relevant = legalBasis === "consent" || separateForSensitive;
  return async (clientId) => ({
    legalBasis,
    separateForSensitive,
    // Under another basis without the flag, consent changes nothing: not looked up.
    consent: relevant ? stateOf(await findCurrentConsent(tx, clientId, purpose)) : "none",
  });
}

export async function consentTermsFor(tx: Tx, clientId: string, purpose: string): Promise<ConsentTerms> {
  return (await consentTermsLoader(tx, purpose))(clientId);
}
