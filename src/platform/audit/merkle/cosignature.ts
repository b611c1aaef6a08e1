import { createPublicKey, hash, verify } from "node:crypto";
import { NoteError } from "./note.js";

/**
 * C2SP tlog-cosignature/v1 (https://c2sp.org/tlog-cosignature) with Ed25519: a witness's
 * timestamped statement that a checkpoint is the largest consistent tree it has seen of the log.
 * The key id binds name and key with algorithm byte 0x04, distinct from the log's own 0x01.
 */
const COSIGNATURE_V1 = 0x04;
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");

export interface CosignerKey {
  name: string;
  keyId: Buffer;
  publicKey: Buffer;
}

export const cosignerKeyId = (name: string, publicKey: Uint8Array): Buffer =>
  hash("sha256", Buffer.concat([Buffer.from(name, "utf8"), Buffer.of(0x0a, COSIGNATURE_V1), publicKey]), "buffer").subarray(0, 4);

export function cosignerVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${cosignerKeyId(name, publicKey).toString("hex")}+${Buffer.concat([Buffer.of(COSIGNATURE_V1), publicKey]).toString("base64")}`;
}

/** A witness's verifier key: `name+keyid+base64(0x04 || Ed25519 key)`. */
export function parseCosignerKey(vkey: string): CosignerKey {
  const malformed = () => new NoteError("note_malformed", "cosigner key: expected name+keyid+base64(0x04||key)");
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 1 || second < 0) throw malformed();
  const [name, id, b64] = [vkey.slice(0, first), vkey.slice(first + 1, second), vkey.slice(second + 1)];
  const key = Buffer.from(b64, "base64");
  if (!name || /\s/.test(name) || !/^[0-9a-f]{8}$/i.test(id) || key.toString("base64") !== b64 || key.length !== 33 || key[0] !== COSIGNATURE_V1)
    throw malformed();
  const publicKey = key.subarray(1);
  const keyId = Buffer.from(id, "hex");
  if (!keyId.equals(cosignerKeyId(name, publicKey))) throw malformed();
  return { name, keyId, publicKey };
}

/** The message a cosigner signs: header, timestamp, then the checkpoint's whole body. */
export const cosignedMessage = (checkpointBody: string, timestamp: number): Buffer =>
  Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointBody}`, "utf8");

/**
 * Checks one `— name base64(keyid || u64 timestamp || signature)` line against `key` for the
 * checkpoint body; returns the cosignature's time (seconds), or null if the line is not this
 * key's or does not verify.
 */
export function verifyCosignature(checkpointBody: string, line: string, key: CosignerKey): number | null {
  const match = /^— (\S+) ([A-Za-z0-9+/]+=*)$/.exec(line);
  if (!match || match[1] !== key.name) return null;
  const raw = Buffer.from(match[2]!, "base64");
  if (raw.length !== 4 + 8 + 64 || !raw.subarray(0, 4).equals(key.keyId)) return null;
  const timestamp = raw.readBigUInt64BE(4);
  if (timestamp > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  const publicKey = createPublicKey({ key: Buffer.concat([SPKI_ED25519, key.publicKey]), format: "der", type: "spki" });
  const ok = verify(null, cosignedMessage(checkpointBody, Number(timestamp)), publicKey, raw.subarray(12));
  return ok ? Number(timestamp) : null;
}
