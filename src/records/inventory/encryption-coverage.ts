/**
 * Encryption coverage (ENC-1): of the personal-data fields in the inventory, the share actually
 * stored sealed. The registry says which fields should be; the stored rows are checked as well, so
 * a field whose column holds plaintext (a faulty import, a manual fix in SQL) stops counting.
 */
import { CLIENT_FIELDS, COLUMNS, type PersonalField } from "../clients/fields.js";
import type { Tx } from "../../platform/db/engine.js";
import { isSealedFormat } from "../../vault/vault.js";
import { buildInventory } from "./inventory.js";

export interface EncryptionCoverage {
  /** sealedFields / personalFields; null when the inventory lists no personal field. */
  value: number | null;
  personalFields: number;
  sealedFields: number;
  /** Personal fields declared plain, without a ciphertext column, or with a stored value that is not sealed. */
  unsealedFields: string[];
  /** Client rows whose personal columns were checked (the newest ones, up to COVERAGE_SAMPLE). */
  rowsChecked: number;
}

/**
 * Rows checked per measurement, newest first (where writes land): a bound on the cost of a
 * dashboard request. Checking the shape needs no key, so nothing is decrypted.
 */
export const COVERAGE_SAMPLE = 2000;

export async function measureEncryptionCoverage(tx: Tx): Promise<EncryptionCoverage> {
  // Fields in the "processing" category (kind, identifier type, purposes) are not personal data.
  const personal = buildInventory().filter((e) => e.dataset === "clients" && e.category !== "processing");
  const columns = personal.flatMap((e) => (e.field in COLUMNS ? [COLUMNS[e.field as PersonalField].ct] : []));
  const rows = columns.length
    ? await tx
        .selectFrom("clients")
        .select(columns)
        .where("status", "=", "active")
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(COVERAGE_SAMPLE)
        .execute()
    : [];
  const unsealed = personal
    .filter((e) => {
      const column = e.field in COLUMNS ? COLUMNS[e.field as PersonalField].ct : null;
      const declared = CLIENT_FIELDS.some((f) => f.key === e.field && f.encrypted);
      if (!declared || !column) return true;
      return rows.some((r) => {
        const value = (r as Record<string, unknown>)[column];
        return value !== null && value !== undefined && !isSealedFormat(value);
      });
    })
    .map((e) => e.field);
  const sealed = personal.length - unsealed.length;
  return {
    value: personal.length ? sealed / personal.length : null,
    personalFields: personal.length,
    sealedFields: sealed,
    unsealedFields: unsealed,
    rowsChecked: rows.length,
  };
}
