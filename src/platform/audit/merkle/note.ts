import { createPublicKey, hash, type KeyObject, verify } from "node:crypto";

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519, in the encoding of Go's
 * golang.org/x/mod/sumdb/note, so that standard tooling can check what the log signs.
 */

export type NoteErrorCode = "note_malformed" | "note_unverified" | "checkpoint_malformed";

export class NoteError extends Error {
  constructor(
    readonly code: NoteErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = "NoteError";
  }
}

const ED25519 = 0x01;
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex");
const SIG_PREFIX = "— ";
// The spec asks to accept at least 16; a bound keeps hostile notes cheap to reject.
const MAX_SIGNATURES = 100;

// Control characters other than newline, or lone surrogates (which have no UTF-8 encoding).
const FORBIDDEN_IN_TEXT = /[\x00-\x09\x0b-\x1f]|\p{Cs}/u;
const FORBIDDEN_IN_NAME = /[\p{White_Space}+\x00-\x1f]|\p{Cs}/u;

const isValidName = (name: unknown): name is string => typeof name === "string" && name !== "" && !FORBIDDEN_IN_NAME.test(name);

/** Standard padded base64, canonical only: one encoding per byte string, and no junk Node would skip. */
function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, "base64");
  return bytes.toString("base64") === text ? bytes : undefined;
}

export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return hash("sha256", Buffer.concat([Buffer.from(name, "utf8"), Buffer.of(0x0a, ED25519), publicKey]), "buffer").subarray(0, 4);
}

function checkKey(name: string, publicKey: Uint8Array): void {
  if (!isValidName(name)) throw new NoteError("note_malformed", "key names must be non-empty, without spaces, plus signs or control characters");
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) throw new NoteError("note_malformed", "Ed25519 public keys are 32 bytes");
}

export function verifierKey(name: string, publicKey: Uint8Array): string {
  checkKey(name, publicKey);
  return `${name}+${noteKeyId(name, publicKey).toString("hex")}+${Buffer.concat([Buffer.of(ED25519), publicKey]).toString("base64")}`;
}

export function parseVerifierKey(vkey: string): { name: string; keyId: Buffer; publicKey: Buffer } {
  const malformed = (why: string) => new NoteError("note_malformed", `verifier key: ${why}`);
  if (typeof vkey !== "string") throw malformed("not a string");
  // Only the first two "+" separate fields: the base64 key may contain more.
  const first = vkey.indexOf("+");
  const second = vkey.indexOf("+", first + 1);
  if (first < 0 || second < 0) throw malformed("expected name+keyid+key");
  const name = vkey.slice(0, first);
  const id = vkey.slice(first + 1, second);
  const key = decodeBase64(vkey.slice(second + 1));
  if (!isValidName(name) || !/^[0-9a-fA-F]{8}$/.test(id) || !key || key.length === 0) throw malformed("expected name+keyid+key");
  if (key[0] !== ED25519) throw malformed("not an Ed25519 key");
  if (key.length !== 33) throw malformed("Ed25519 public keys are 32 bytes");
  const publicKey = key.subarray(1);
  const keyId = Buffer.from(id, "hex");
  if (!keyId.equals(noteKeyId(name, publicKey))) throw malformed("key id does not match name and key");
  return { name, keyId, publicKey };
}

function keyObject(publicKey: Uint8Array): KeyObject {
  try {
    return createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: "der", type: "spki" });
  } catch {
    throw new NoteError("note_malformed", "not an Ed25519 public key");
  }
}

/**
 * Signs `body` through `sign` (the vault: it alone holds the private key). The signature is checked
 * before it is returned, so a signer holding another key cannot publish a note nobody can verify.
 */
export function signNote(body: string, name: string, publicKey: Uint8Array, sign: (message: Buffer) => Buffer): string {
  checkKey(name, publicKey);
  if (typeof body !== "string" || !body.endsWith("\n") || FORBIDDEN_IN_TEXT.test(body)) {
    throw new NoteError("note_malformed", "note text must end in a newline and hold no control characters but newlines");
  }
  const message = Buffer.from(body, "utf8");
  const signature = sign(message);
  if (!(signature instanceof Uint8Array) || signature.length !== 64 || !verify(null, message, keyObject(publicKey), signature)) {
    throw new NoteError("note_unverified", "the signer's signature does not verify with the given public key");
  }
  return `${body}\n${SIG_PREFIX}${name} ${Buffer.concat([noteKeyId(name, publicKey), signature]).toString("base64")}\n`;
}

/**
 * Returns the note's text once a signature by `vkey`'s key verifies. Other keys' lines are skipped
 * as the spec requires (witness cosignatures, rotated keys); a failing line by this key rejects all.
 */
export function openNote(note: string, vkey: string): { body: string } {
  const key = parseVerifierKey(vkey);
  const malformed = (why: string) => new NoteError("note_malformed", `note: ${why}`);
  if (typeof note !== "string" || FORBIDDEN_IN_TEXT.test(note)) throw malformed("not text");
  // The text is separated from the signatures by the last blank line.
  const split = note.lastIndexOf("\n\n");
  if (split < 0) throw malformed("no signature block");
  const body = note.slice(0, split + 1);
  const block = note.slice(split + 2);
  if (block === "" || !block.endsWith("\n")) throw malformed("signature block must end in a newline");
  const lines = block.slice(0, -1).split("\n");
  if (lines.length > MAX_SIGNATURES) throw malformed("too many signatures");

  const message = Buffer.from(body, "utf8");
  let verified = false;
  for (const line of lines) {
    if (!line.startsWith(SIG_PREFIX)) throw malformed("signature lines start with an em dash and a space");
    const [name, b64 = ""] = splitOnce(line.slice(SIG_PREFIX.length), " ");
    const signature = decodeBase64(b64);
    if (!isValidName(name) || !signature || signature.length < 5) throw malformed("bad signature line");
    if (name !== key.name || !signature.subarray(0, 4).equals(key.keyId)) continue;
    if (signature.length !== 4 + 64 || !verify(null, message, keyObject(key.publicKey), signature.subarray(4))) {
      throw new NoteError("note_unverified", `signature by ${key.name} does not verify`);
    }
    verified = true;
  }
  if (!verified) throw new NoteError("note_unverified", `no signature by ${key.name}`);
  return { body };
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
