/** A client's sealed columns from its fields: ciphertexts and blind indexes. Pure, with no database code. */
import type { DbClient } from "../../platform/db/schema.js";
import type { DataKey, FieldSealer } from "../../vault/vault.js";
import type { ClientData } from "./client.js";
import { COLUMNS, PERSONAL_FIELDS, type PersonalField, type SearchableField } from "./fields.js";
import { normaliseForIndex } from "./normalise.js";

type SealedColumns = Pick<DbClient, (typeof COLUMNS)[keyof typeof COLUMNS]["ct"] | NonNullable<(typeof COLUMNS)[keyof typeof COLUMNS]["bidx"]>>;

export const blindIndexOf = (vault: FieldSealer, field: SearchableField, value: string) =>
  vault.blindIndex(`clients.${field}`, normaliseForIndex(field, value));

/** Every ciphertext and blind-index column empty: a new row before sealing, an erased client, a row read without them. */
export const NO_SEALED_COLUMNS: Readonly<SealedColumns> = Object.freeze({
  name_ct: null,
  id_number_ct: null,
  phone_ct: null,
  email_ct: null,
  address_ct: null,
  birth_date_ct: null,
  notes_ct: null,
  name_bidx: null,
  id_number_bidx: null,
  phone_bidx: null,
  email_bidx: null,
});

/** Encrypts every personal field present in `data`; null clears both ciphertext and index. */
export function sealFields(vault: FieldSealer, key: DataKey, clientId: string, data: Partial<Record<PersonalField, string | null>>): Partial<SealedColumns> {
  const out: Partial<Record<string, Buffer | string | null>> = {};
  for (const field of PERSONAL_FIELDS) {
    if (!(field in data)) continue;
    const value = data[field] ?? null;
    const { ct, bidx } = COLUMNS[field];
    out[ct] = value === null ? null : vault.seal(key, { table: "clients", recordId: clientId, field }, value);
    if (bidx) out[bidx] = value === null ? null : blindIndexOf(vault, field as SearchableField, value);
  }
  return out as Partial<SealedColumns>;
}

/** A new client's full row: only ciphertext, blind indexes and non-personal columns. */
export function newClientRow(vault: FieldSealer, key: DataKey, id: string, data: ClientData, now: string, createdBy: string | null = null): DbClient {
  return {
    id,
    kind: data.kind,
    id_type: data.idType ?? null,
    purposes: JSON.stringify(data.purposes),
    ...NO_SEALED_COLUMNS,
    ...sealFields(vault, key, id, Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, data[f] ?? null]))),
    status: "active",
    row_version: 1,
    created_at: now,
    updated_at: now,
    erased_at: null,
    created_by: createdBy,
  };
}
