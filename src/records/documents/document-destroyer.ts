/**
 * Destroying a client's documents with the client (issue #11): erasure, deletion requests,
 * retention destruction and the erasure ledger on restore all reach it through `shredClient`, in
 * the transaction that destroys the client's data key. Each live document is marked destroyed with
 * a reason, and whatever still describes its content is cleared: the sealed title and filename, the
 * wrapped file key, the sealed findings, and the keyed MAC of the plaintext (it would still
 * recognise the file). The rows stay, with sizes and levels, for the certificate and the register
 * of copies handed out. The ciphertext leaves the blob store after commit (document-blob-sweeper.ts).
 */
import type { Tx } from "../../platform/db/engine.js";

export const DOCUMENT_DESTRUCTION_REASONS = ["client_erased", "retention_destroyed"] as const;
export type DocumentDestructionReason = (typeof DOCUMENT_DESTRUCTION_REASONS)[number];

/** Counts only: what a destruction certificate or an audit event may state. */
export interface DocumentDestruction {
  documents: number;
  versions: number;
  bytes: number;
}

export const NO_DOCUMENTS: Readonly<DocumentDestruction> = Object.freeze({ documents: 0, versions: 0, bytes: 0 });

/** Destroys every live document of the client; the caller authorised it and holds the transaction. */
export async function destroyClientDocuments(tx: Tx, clientId: string, at: string, reason: DocumentDestructionReason): Promise<DocumentDestruction> {
  const live = () => tx.selectFrom("documents").select("id").where("client_id", "=", clientId).where("destroyed_at", "is", null);
  const documents = (await live().execute()).length;
  if (documents === 0) return { ...NO_DOCUMENTS };
  const counted = await tx
    .selectFrom("document_versions")
    .select((eb) => [eb.fn.countAll<number | string>().as("versions"), eb.fn.sum<number | string | null>("size_bytes").as("bytes")])
    .where("document_id", "in", live())
    .executeTakeFirst();
  // Versions first: the documents' destroyed_at is what selects them.
  await tx.updateTable("document_versions").set({ findings_ct: null, content_mac: "" }).where("document_id", "in", live()).execute();
  await tx
    .updateTable("documents")
    .set({
      title_ct: null,
      filename_ct: null,
      wrapped_file_key: null,
      checked_out_by: null,
      checked_out_at: null,
      destroyed_at: at,
      destroyed_reason: reason,
      updated_at: at,
    })
    .where("client_id", "=", clientId)
    .where("destroyed_at", "is", null)
    .execute();
  return { documents, versions: Number(counted?.versions ?? 0), bytes: Number(counted?.bytes ?? 0) };
}
