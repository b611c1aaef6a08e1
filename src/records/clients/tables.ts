/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbClient {
  id: string;
  kind: string;
  id_type: string | null;
  purposes: string;
  name_ct: Buffer | null;
  id_number_ct: Buffer | null;
  phone_ct: Buffer | null;
  email_ct: Buffer | null;
  address_ct: Buffer | null;
  birth_date_ct: Buffer | null;
  notes_ct: Buffer | null;
  name_bidx: string | null;
  id_number_bidx: string | null;
  phone_bidx: string | null;
  email_bidx: string | null;
  status: string;
  row_version: number;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  /** The creating user; null for imports and rows from before matters existed. */
  created_by: string | null;
}

/**
 * A truncated, keyed token a client is found by in prefix, surname and tail search (issue #15;
 * search-tokens.ts says what they leak). No key: padding may repeat a token for one client.
 */
export interface DbClientSearchToken {
  client_id: string;
  /** name | id_tail | phone_tail */
  kind: string;
  token: string;
}

export interface ClientTables {
  clients: DbClient;
  client_search_tokens: DbClientSearchToken;
}
