/**
 * The pure half of a bulk import: checking a batch and sealing it into the rows to write (client
 * rows, wrapped data keys, search tokens), without touching the database. It runs on the main
 * thread for one batch (importClients) or on a worker thread while the previous batch is being
 * written (importBatches, import-thread.ts).
 */
import type { FieldIssue } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { DbClient } from "../../platform/db/schema.js";
import type { DbDataKey } from "../../vault/keys/tables.js";
import type { SealingVault } from "../../vault/vault.js";
import type { ClientData } from "./client.js";
import { newClientRow } from "./client-sealing.js";
import { PERSONAL_FIELDS, SEARCHABLE_FIELDS } from "./fields.js";
import { SEARCH_TOKEN_CONTEXTS, tokenRowsOf } from "./search-token-rows.js";
import type { DbClientSearchToken } from "./tables.js";
import { validateClientDraft } from "./validation.js";

/** The blind-index contexts sealing a client uses: its exact-match indexes and its search tokens. */
export const IMPORT_INDEX_CONTEXTS: readonly string[] = [...SEARCHABLE_FIELDS.map((f) => `clients.${f}`), ...SEARCH_TOKEN_CONTEXTS];

/** A batch checked and sealed: rows ready to insert, under data keys wrapped by KEK `kekVersion`. */
export interface SealedBatch {
  readonly kekVersion: number;
  readonly clients: DbClient[];
  readonly dataKeys: DbDataKey[];
  readonly tokens: DbClientSearchToken[];
  /** The personal fields each client has (its audit event lists them). */
  readonly fields: string[][];
}

/** A batch sealed, or the issues of its first invalid record (the whole batch is refused). */
export type PreparedBatch = { readonly ok: true; readonly sealed: SealedBatch } | { readonly ok: false; readonly issues: FieldIssue[] };

export function prepareBatch(vault: SealingVault, registeredPurposes: ReadonlySet<string>, batch: readonly ClientData[], now: string): PreparedBatch {
  const valid: ClientData[] = [];
  for (const [index, input] of batch.entries()) {
    const checked = validateClientDraft(input, registeredPurposes);
    if (!checked.ok) return { ok: false, issues: checked.issues.map((i) => ({ ...i, field: `${index}.${i.field}` })) };
    valid.push(checked.value as ClientData);
  }
  const sealed: SealedBatch = { kekVersion: vault.kekVersion, clients: [], dataKeys: [], tokens: [], fields: [] };
  for (const data of valid) {
    const id = uuidv7();
    const { dataKey, wrapped } = vault.newDataKey(id);
    sealed.clients.push(newClientRow(vault, dataKey, id, data, now));
    sealed.dataKeys.push({
      client_id: id,
      dek_version: wrapped.dekVersion,
      kek_version: wrapped.kekVersion,
      wrapped_key: wrapped.wrapped,
      created_at: now,
      destroyed_at: null,
    });
    sealed.tokens.push(...tokenRowsOf(vault, { id, kind: data.kind, name: data.name, idNumber: data.idNumber ?? null, phone: data.phone ?? null }));
    sealed.fields.push(PERSONAL_FIELDS.filter((f) => data[f]));
  }
  return { ok: true, sealed };
}
