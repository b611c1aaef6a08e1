/** A share as staff see it: an allow-list of its facts, the recipient opened only where the key still exists. */
import type { Level } from "../../access/policy/roles.js";
import type { DbDocumentShare } from "../../platform/db/schema.js";
import type { DataKey, Vault } from "../../vault/vault.js";
import { type PresentedShare, type RecipientKind, shareStatusAt } from "./share.js";
import { openRecipient } from "./share-store.js";

export function presentShare(vault: Vault, key: DataKey | null, row: DbDocumentShare, level: number, now: Date = new Date()): PresentedShare {
  return {
    id: row.id,
    documentId: row.document_id,
    version: row.version,
    clientId: row.client_id,
    level: level as Level,
    sharedBy: row.created_by,
    recipientKind: row.recipient_kind as RecipientKind,
    // Null once the client's key was shredded: the register keeps the facts, not the names.
    recipient: key ? openRecipient(vault, key, row) : null,
    purpose: row.purpose,
    grantId: row.grant_id,
    status: shareStatusAt(row, now),
    expiresAt: row.expires_at,
    maxDownloads: row.max_downloads,
    downloads: row.downloads,
    codeSentAt: row.code_sent_at,
    confirmedBy: row.confirmed_by,
    confirmedAt: row.confirmed_at,
    revokedBy: row.revoked_by,
    revokedAt: row.revoked_at,
    createdAt: row.created_at,
  };
}
