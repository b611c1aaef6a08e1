import type { Vault } from "./vault.js";

/**
 * Staff-written free text that is not a client field (complaint notes, incident narratives, task
 * titles, drill findings): nothing stops it naming someone, so it is sealed with the firm-level
 * secret key and stored as base64 text, bound to its table, row and field.
 */
export const sealText = (vault: Vault, table: string, id: string, field: string, text: string) =>
  vault.sealSecret({ table, recordId: id, field }, text).toString("base64");

export const openText = (vault: Vault, table: string, id: string, field: string, sealed: string) =>
  vault.openSecret({ table, recordId: id, field }, Buffer.from(sealed, "base64"));
