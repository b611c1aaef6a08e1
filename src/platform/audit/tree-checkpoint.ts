/**
 * The audit log as a transparency log (issue #12): each event is a leaf of an RFC 6962 Merkle
 * tree, and each checkpoint is a C2SP tlog-checkpoint signed note, so a client's access history
 * carries inclusion proofs anyone can check offline and standard tlog tooling can read the heads.
 * The leaf is the event's chain hash, which already commits to every hashed column.
 */
import { hash } from "node:crypto";
import type { Vault } from "../../vault/vault.js";
import { type Checkpoint, formatCheckpoint, parseCheckpoint } from "./merkle/checkpoint.js";
import { openNote, signNote, verifierKey } from "./merkle/note.js";
import { leafHash } from "./merkle/tree.js";
import { historyManifestBody } from "./history-check/verify-history.js";

export interface AuditLogKey {
  /** The log's name, also the signing key's name: unique per firm because it names the key. */
  readonly origin: string;
  readonly publicKey: Buffer;
  /** The verifier key to publish (Go's sumdb/note format): what an outside checker trusts. */
  readonly vkey: string;
}

/** From the vault's checkpoint key (SPKI, base64): Ed25519's raw key is the last 32 bytes. */
export function auditLogKey(spkiBase64: string): AuditLogKey {
  const spki = Buffer.from(spkiBase64, "base64");
  const publicKey = spki.subarray(spki.length - 32);
  const origin = `custodia.audit/${hash("sha256", publicKey, "hex").slice(0, 16)}`;
  return { origin, publicKey, vkey: verifierKey(origin, publicKey) };
}

export const auditLeaf = (eventHashHex: string): Buffer => leafHash(Buffer.from(eventHashHex, "hex"));

/** The vault signs the note's bytes; only the vault holds the key. */
export const vaultSigner =
  (vault: Vault) =>
  (message: Buffer): Buffer =>
    Buffer.from(vault.signCheckpoint(message.toString("utf8")), "base64");

export function signTreeCheckpoint(vault: Vault, size: number, root: Buffer): string {
  const key = auditLogKey(vault.checkpointPublicKey);
  return signNote(formatCheckpoint({ origin: key.origin, size, root }), key.origin, key.publicKey, vaultSigner(vault));
}

/** Verifies the note with `vkey` and checks it names this log; throws NoteError otherwise. */
export function openTreeCheckpoint(note: string, vkey: string): Checkpoint {
  const checkpoint = parseCheckpoint(openNote(note, vkey).body);
  if (checkpoint.origin !== vkey.split("+")[0]) throw Object.assign(new Error("checkpoint of another log"), { code: "note_unverified" });
  return checkpoint;
}

/**
 * What the firm vouches is a client's whole access history under one checkpoint: the events'
 * positions. Signed as a note with the log's key, so dropping an event from a package shows.
 */
export { historyManifestBody };

export function signHistoryManifest(vault: Vault, clientId: string, size: number, positions: readonly number[]): string {
  const key = auditLogKey(vault.checkpointPublicKey);
  return signNote(historyManifestBody(clientId, size, positions), key.origin, key.publicKey, vaultSigner(vault));
}
