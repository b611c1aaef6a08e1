/** SQL for documents, their versions and the copies handed out, and the sealing of their text. */
import type { Tx } from "../../platform/db/engine.js";
import type { DbDocument, DbDocumentCopy, DbDocumentVersion } from "../../platform/db/schema.js";
import type { DataKey, Vault } from "../../vault/vault.js";
import type { DocumentFindings } from "./document.js";

const binding = (documentId: string, field: "title" | "filename") => ({ table: "documents", recordId: documentId, field });
const findingsBinding = (documentId: string, version: number) => ({ table: "document_versions", recordId: `${documentId}/${version}`, field: "findings" });

export const sealDocumentText = (vault: Vault, key: DataKey, documentId: string, field: "title" | "filename", text: string) =>
  vault.seal(key, binding(documentId, field), text);
export const openDocumentText = (vault: Vault, key: DataKey, documentId: string, field: "title" | "filename", sealed: Buffer) =>
  vault.open(key, binding(documentId, field), sealed);
export const sealFindings = (vault: Vault, key: DataKey, documentId: string, version: number, findings: DocumentFindings) =>
  vault.seal(key, findingsBinding(documentId, version), JSON.stringify(findings));
export const openFindings = (vault: Vault, key: DataKey, documentId: string, version: number, sealed: Buffer): DocumentFindings =>
  JSON.parse(vault.open(key, findingsBinding(documentId, version), sealed)) as DocumentFindings;

/** Blob keys name the document and version, plus a random tail so a retried upload never collides. */
export const blobKeyFor = (documentId: string, version: number, nonce: string) => `documents/${documentId}/v${version}-${nonce}`;

export const findDocument = (tx: Tx, id: string) => tx.selectFrom("documents").selectAll().where("id", "=", id).executeTakeFirst();

export const findVersion = (tx: Tx, documentId: string, version: number) =>
  tx.selectFrom("document_versions").selectAll().where("document_id", "=", documentId).where("version", "=", version).executeTakeFirst();

export const listVersions = (tx: Tx, documentId: string) =>
  tx.selectFrom("document_versions").selectAll().where("document_id", "=", documentId).orderBy("version", "desc").execute();

/** A client's documents with their current version, newest first; destroyed ones are left out. */
export function listClientDocuments(tx: Tx, clientId: string, matterId?: string) {
  let q = tx
    .selectFrom("documents as d")
    .innerJoin("document_versions as v", (j) => j.onRef("v.document_id", "=", "d.id").onRef("v.version", "=", "d.current_version"))
    .selectAll("d")
    .select(["v.size_bytes", "v.media_type", "v.scan_status", "v.findings_ct", "v.detected_level"])
    .where("d.client_id", "=", clientId)
    .where("d.destroyed_at", "is", null);
  if (matterId) q = q.where("d.matter_id", "=", matterId);
  return q.orderBy("d.created_at", "desc").orderBy("d.id").execute();
}

export async function insertDocument(tx: Tx, document: DbDocument, version: DbDocumentVersion): Promise<void> {
  await tx.insertInto("documents").values(document).execute();
  await tx.insertInto("document_versions").values(version).execute();
}

/** Adds a version and makes it current; false when another upload took this version number first. */
export async function insertVersion(tx: Tx, version: DbDocumentVersion, level: number): Promise<boolean> {
  const moved = await tx
    .updateTable("documents")
    .set({ current_version: version.version, level, updated_at: version.uploaded_at })
    .where("id", "=", version.document_id)
    .where("current_version", "=", version.version - 1)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  await tx.insertInto("document_versions").values(version).execute();
  return true;
}

/** Takes the lock if nobody holds it (or the caller already does); false when someone else holds it. */
export async function checkOutDocument(tx: Tx, id: string, userId: string, at: string): Promise<boolean> {
  const r = await tx
    .updateTable("documents")
    .set({ checked_out_by: userId, checked_out_at: at })
    .where("id", "=", id)
    .where((eb) => eb.or([eb("checked_out_by", "is", null), eb("checked_out_by", "=", userId)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function checkInDocument(tx: Tx, id: string, holderId: string): Promise<boolean> {
  const r = await tx
    .updateTable("documents")
    .set({ checked_out_by: null, checked_out_at: null })
    .where("id", "=", id)
    .where("checked_out_by", "=", holderId)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function registerCopy(tx: Tx, copy: DbDocumentCopy): Promise<void> {
  await tx.insertInto("document_copies").values(copy).execute();
}

export const findCopyByFingerprint = (tx: Tx, fingerprint: string) =>
  tx.selectFrom("document_copies").selectAll().where("fingerprint", "=", fingerprint).executeTakeFirst();

export const listCopies = (tx: Tx, documentId: string) =>
  tx.selectFrom("document_copies").selectAll().where("document_id", "=", documentId).orderBy("created_at", "desc").execute();

export const findVersionsByMac = (tx: Tx, mac: string) => tx.selectFrom("document_versions").selectAll().where("content_mac", "=", mac).execute();

/** Size as a number whatever the engine returns for bigint. */
export const sizeOf = (v: Pick<DbDocumentVersion, "size_bytes">): number => Number(v.size_bytes);
