/**
 * Applies a de-identification profile to decrypted client records: pure, no I/O. Only fields the
 * profile names leave; each in the form its rule gives. The caller (the vault's disclosure path)
 * decrypts, and derives the per-disclosure pseudonym key.
 */
import type { Client } from "../../records/clients/client.js";
import { maskField } from "../../records/clients/masking.js";
import type { PersonalField } from "../../records/clients/fields.js";
import { generalise } from "./generalise.js";
import { type DeidentificationProfileBody, type FieldRule, type ProfileField, disclosedFields } from "./profile.js";
import { pseudonymFor } from "./pseudonym.js";

/** What the transformation reads of a client: the decrypted record and its id. */
export type SourceRecord = Pick<Client, "id" | "kind" | "name" | "idType" | "idNumber" | "phone" | "email" | "address" | "birthDate" | "notes">;

export type OutputRow = Record<string, string | null>;

export interface Deidentified {
  /** The fields that leave, in a fixed order: the package's columns. */
  columns: ProfileField[];
  rows: OutputRow[];
}

const fieldValue = (record: SourceRecord, field: ProfileField): string | null => (field === "clientId" ? record.id : record[field]);

function apply(field: ProfileField, rule: FieldRule, record: SourceRecord, key: Buffer, asOf: Date): string | null {
  const value = fieldValue(record, field);
  switch (rule.rule) {
    case "omit":
      return null;
    case "keep":
      return value;
    case "pseudonym":
      // Validation allows it on the client id only; the pseudonym is of the client, whatever the field.
      return pseudonymFor(key, record.id);
    case "mask":
      return value === null || field === "clientId" || field === "kind" || field === "idType" ? null : maskField(field as PersonalField, value, record.idType);
    case "generalise":
      if (value === null || (field !== "birthDate" && field !== "idNumber" && field !== "address")) return null;
      return generalise(rule.method, { field, value, idType: record.idType, asOf });
  }
}

export function deidentify(
  records: readonly SourceRecord[],
  profile: Pick<DeidentificationProfileBody, "fields">,
  pseudonymKey: Buffer,
  options: { asOf?: Date } = {},
): Deidentified {
  const asOf = options.asOf ?? new Date();
  const columns = disclosedFields(profile);
  const rows = records.map((record) => {
    const row: OutputRow = {};
    for (const field of columns) row[field] = apply(field, profile.fields[field]!, record, pseudonymKey, asOf);
    return row;
  });
  return { columns, rows };
}
