/** SQL for consent records. */
import { prepared } from "../../platform/db/prepared.js";
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

// Every read asks it: compiled once.
const purposeTerms = prepared((db, a: { code: string }) =>
  db.selectFrom("purposes").select(["code", "legal_basis", "requires_separate_consent_for_sensitive"]).where("code", "=", a.code),
);
export const findPurposeTerms = async (tx: Tx, purpose: string) => (await purposeTerms(tx, { code: purpose }))[0];

// The clients table is records' (src/records/clients): kept as a re-export for older imports.
export { setClientPurposes } from "../../records/clients/client-store.js";
