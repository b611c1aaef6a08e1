/**
 * Opening C2SP signed notes (https://c2sp.org/signed-note, Ed25519, Go sumdb/note encoding) with
 * pluggable crypto: the reading half of merkle/note.ts, which stays the log's synchronous signer.
 * The same rules: canonical base64, key id = SHA-256(name "\n" 0x01 key)[:4], other keys' lines
 * skipped, a failing line by the trusted key rejects the note.
 */
import { concat, equal, fromBase64, utf8 } from "./bytes.js";
import type { HistoryCrypto } from "./crypto.js";

export class CheckError extends Error {
  constructor(readonly code: "note_malformed" | "note_unverified" | "checkpoint_malformed") {
    super(code);
    this.name = "CheckError";
  }
}

const ED25519 = 0x01;
const SIG_PREFIX = "— ";
const MAX_SIGNATURES = 100;
const FORBIDDEN_IN_TEXT = /[\x00-\x09\x0b-\x1f]|\p{Cs}/u;
const FORBIDDEN_IN_NAME = /[\p{White_Space}+\x00-\x1f]|\p{Cs}/u;

const isValidName = (name: unknown): name is string => typeof name === "string" && name !== "" && !FORBIDDEN_IN_NAME.test(name);

export interface VerifierKey {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

export async function noteKeyId(name: string, publicKey: Uint8Array, crypto: HistoryCrypto): Promise<Uint8Array> {
  return (await crypto.sha256(concat(utf8(name), Uint8Array.of(0x0a, ED25519), publicKey))).subarray(0, 4);
}

export async function parseVerifierKey(vkey: string, crypto: HistoryCrypto): Promise<VerifierKey> {
  if (typeof vkey !== "string") throw new CheckError("note_malformed");
  // Only the first two "+" separate fields: the base64 key may contain more.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) throw new CheckError("note_malformed");
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  const key = fromBase64(vkey.slice(second + 1));
  if (!isValidName(name) || !/^[0-9a-fA-F]{8}$/.test(id) || !key || key.length !== 33 || key[0] !== ED25519) throw new CheckError("note_malformed");
  const publicKey = key.subarray(1);
  const keyId = Uint8Array.from({ length: 4 }, (_, i) => Number.parseInt(id.slice(2 * i, 2 * i + 2), 16));
  if (!equal(keyId, await noteKeyId(name, publicKey, crypto))) throw new CheckError("note_malformed");
  return { name, keyId, publicKey };
}

/** The note's text once a signature by `vkey`'s key verifies; throws CheckError otherwise. */
export async function openNote(note: string, vkey: string, crypto: HistoryCrypto): Promise<string> {
  const key = await parseVerifierKey(vkey, crypto);
  if (typeof note !== "string" || FORBIDDEN_IN_TEXT.test(note)) throw new CheckError("note_malformed");
  // The text is separated from the signatures by the last blank line.
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw new CheckError("note_malformed");
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) throw new CheckError("note_malformed");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw new CheckError("note_malformed");

  const message = utf8(body);
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw new CheckError("note_malformed");
    const rest = line.slice(SIG_PREFIX.length);
    const space = rest.indexOf(" ");
    const name = space < 0 ? rest : rest.slice(0, space);
    const signature = fromBase64(space < 0 ? "" : rest.slice(space + 1));
    if (!isValidName(name) || !signature || signature.length < 5) throw new CheckError("note_malformed");
    if (name !== key.name || !equal(signature.subarray(0, 4), key.keyId)) continue;
    if (signature.length !== 4 + 64 || !(await crypto.verifyEd25519(key.publicKey, message, signature.subarray(4)))) {
      throw new CheckError("note_unverified");
    }
    verified = true;
  }
  if (!verified) throw new CheckError("note_unverified");
  return body;
}
