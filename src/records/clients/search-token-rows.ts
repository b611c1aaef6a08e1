/**
 * The token rows of a client (what they are and what they leak: search-tokens.ts). Pure, with no
 * database code, so a bulk import's sealing thread loads only this.
 */
import { randomInt } from "node:crypto";
import type { FieldSealer } from "../../vault/vault.js";
import type { ClientKind } from "./client.js";
import type { DbClientSearchToken } from "./tables.js";
import { normaliseForIndex } from "./normalise.js";
import { namePrefixes, paddedTokenCount, tailOf } from "./name-tokens.js";

export type SearchTokenKind = "name" | "id_tail" | "phone_tail";

const HEX_DIGITS: Record<SearchTokenKind, number> = { name: 4, id_tail: 3, phone_tail: 3 };

/** The blind-index context of each kind of token (its key is derived from it). */
export const SEARCH_TOKEN_CONTEXTS = (Object.keys(HEX_DIGITS) as SearchTokenKind[]).map((kind) => `clients.search/v1/${kind}`);

/** The stored token for a plaintext (a normalised prefix, or a tail). */
export const searchToken = (vault: FieldSealer, kind: SearchTokenKind, value: string): string =>
  vault.blindIndex(`clients.search/v1/${kind}`, value).slice(0, HEX_DIGITS[kind]);

const randomToken = (kind: SearchTokenKind) =>
  randomInt(0, 16 ** HEX_DIGITS[kind])
    .toString(16)
    .padStart(HEX_DIGITS[kind], "0");

/** The searchable parts of a client, decrypted. */
export interface SearchableClient {
  id: string;
  kind: ClientKind;
  name: string;
  idNumber: string | null;
  phone: string | null;
}

/** The token rows of one client: its name tokens padded to their class, a tail token per identifier, shuffled. */
export function tokenRowsOf(vault: FieldSealer, client: SearchableClient): DbClientSearchToken[] {
  const names = namePrefixes(client.name, client.kind).map((p) => searchToken(vault, "name", p));
  const padded = paddedTokenCount(names.length);
  while (names.length < padded) names.push(randomToken("name"));
  const rows: DbClientSearchToken[] = names.map((token) => ({ client_id: client.id, kind: "name", token }));
  const idTail = tailOf(client.idNumber ? normaliseForIndex("idNumber", client.idNumber) : null);
  if (idTail) rows.push({ client_id: client.id, kind: "id_tail", token: searchToken(vault, "id_tail", idTail) });
  const phoneTail = tailOf(client.phone ? normaliseForIndex("phone", client.phone) : null);
  if (phoneTail) rows.push({ client_id: client.id, kind: "phone_tail", token: searchToken(vault, "phone_tail", phoneTail) });
  // Fisher–Yates: insertion order must not tell which token is which prefix length.
  for (let i = rows.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [rows[i], rows[j]] = [rows[j]!, rows[i]!];
  }
  return rows;
}
