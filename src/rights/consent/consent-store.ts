/** SQL for consent records. */
import { prepared } from "../../platform/db/prepared.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DialectAdapter } from "kysely";
import { PurposeRegistry } from "../../records/purposes/purpose-registry.js";

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
type PurposeTerms = Awaited<ReturnType<typeof purposeTerms>>[number];

/**
 * Purposes change only by migration, and every read asks for its purpose's terms: a row found is
 * kept per database (keyed by its Kysely adapter) for as long as the registry keeps its codes.
 */
const knownTerms = new WeakMap<DialectAdapter, Map<string, { row: PurposeTerms; until: number }>>();

export async function findPurposeTerms(tx: Tx, purpose: string): Promise<PurposeTerms | undefined> {
  const adapter = tx.getExecutor().adapter;
  let known = knownTerms.get(adapter);
  if (!known) knownTerms.set(adapter, (known = new Map()));
  const now = Date.now();
  const hit = known.get(purpose);
  if (hit && hit.until > now) return hit.row;
  const [row] = await purposeTerms(tx, { code: purpose });
  if (row) known.set(purpose, { row, until: now + PurposeRegistry.TTL_MS });
  return row;
}

// The clients table is records' (src/records/clients): kept as a re-export for older imports.
export { setClientPurposes } from "../../records/clients/client-store.js";
