import type { Transform } from "node:stream";
import type { Tx } from "../platform/db/engine.js";
import type { FileBinding } from "./file-cipher.js";
import type { KeyRing } from "./keys/key-ring.js";

/**
 * Client documents' file keys through the client's data key, as stored (KeyRing): each returns
 * null once the client was erased, because its data key was shredded and with it every file key
 * it wrapped. The caller stores the wrapped file key beside the document; it is useless alone.
 */
export async function issueFileKey(keyRing: KeyRing, tx: Tx, clientId: string, documentId: string): Promise<Buffer | null> {
  const dataKey = await keyRing.openDataKey(tx, clientId);
  return dataKey && keyRing.vault.newFileKey(dataKey, documentId);
}

export async function openFileEncryptor(keyRing: KeyRing, tx: Tx, clientId: string, wrappedFileKey: Buffer, binding: FileBinding): Promise<Transform | null> {
  const dataKey = await keyRing.openDataKey(tx, clientId);
  return dataKey && keyRing.vault.fileEncryptor(dataKey, wrappedFileKey, binding);
}

/** Null for an erased client; throws FileIntegrityError("key") for a wrapped key that is not this client's for this document. */
export async function openFileDecryptor(keyRing: KeyRing, tx: Tx, clientId: string, wrappedFileKey: Buffer, binding: FileBinding): Promise<Transform | null> {
  const dataKey = await keyRing.openDataKey(tx, clientId);
  return dataKey && keyRing.vault.fileDecryptor(dataKey, wrappedFileKey, binding);
}
