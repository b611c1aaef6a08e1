/** SQL for consent records. */
import type { Tx } from "../../platform/db/engine.js";

/** The latest record for a client and purpose: the current state. */
export const findCurrentConsent = (tx: Tx, clientId: string, purpose: string) =>
  tx
    .selectFrom("consent_records")
    .selectAll()
    .where("client_id", "=", clientId)
    .where("purpose", "=", purpose)
    .orderBy("revision", "desc")
    .limit(1)
    .executeTakeFirst();

export const listConsentRows = (tx: Tx, clientId: string) =>
  tx.selectFrom("consent_records").selectAll().where("client_id", "=", clientId).orderBy("purpose").orderBy("revision", "desc").execute();

export const findPurposeTerms = (tx: Tx, purpose: string) =>
  tx.selectFrom("purposes").select(["code", "legal_basis", "requires_separate_consent_for_sensitive"]).where("code", "=", purpose).executeTakeFirst();

// The clients table is records' (src/records/clients): kept as a re-export for older imports.
export { setClientPurposes } from "../../records/clients/client-store.js";
