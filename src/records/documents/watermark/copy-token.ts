/**
 * A copy id as it travels inside a file: the 16 random bytes, then a 4-byte checksum, so that bytes
 * that merely look like a fingerprint are never taken for one. As text it is `CSTD-` and 32 base32
 * letters (RFC 4648, no padding): ASCII any font can draw and any text extraction recovers.
 */
import { createHash } from "node:crypto";

export const COPY_ID_BYTES = 16;
const CHECK_BYTES = 4;
export const TAGGED_BYTES = COPY_ID_BYTES + CHECK_BYTES;
export const TOKEN_PREFIX = "CSTD-";
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
// 160 bits are exactly 32 base32 letters.
const TOKEN_LETTERS = (TAGGED_BYTES * 8) / 5;
// Case-insensitive and tolerant of whitespace an extractor may insert between letters.
const TOKEN = new RegExp(`CSTD-((?:\\s*[A-Z2-7]){${TOKEN_LETTERS}})`, "gi");

export function assertCopyId(copyId: Uint8Array): void {
  if (copyId.length !== COPY_ID_BYTES) throw new RangeError(`A copy id has ${COPY_ID_BYTES} bytes.`);
}

function checksum(copyId: Uint8Array): Buffer {
  // A label keeps this hash apart from any other use of SHA-256 over the same id.
  return createHash("sha256").update("custodia-copy-id\0").update(copyId).digest().subarray(0, CHECK_BYTES);
}

/** The id followed by its checksum. */
export function taggedCopyId(copyId: Uint8Array): Buffer {
  assertCopyId(copyId);
  return Buffer.concat([copyId, checksum(copyId)]);
}

/** The copy id when `tagged` is an id followed by its checksum, else null. */
export function untagCopyId(tagged: Uint8Array): Buffer | null {
  if (tagged.length !== TAGGED_BYTES) return null;
  const copyId = Buffer.from(tagged.subarray(0, COPY_ID_BYTES));
  return checksum(copyId).equals(tagged.subarray(COPY_ID_BYTES)) ? copyId : null;
}

export function encodeCopyToken(copyId: Uint8Array): string {
  const tagged = taggedCopyId(copyId);
  let letters = "";
  let bits = 0;
  let value = 0;
  for (const byte of tagged) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      letters += ALPHABET[(value >>> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return TOKEN_PREFIX + letters;
}

function decodeLetters(letters: string): Buffer {
  const out = Buffer.alloc(TAGGED_BYTES);
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const letter of letters) {
    value = (value << 5) | ALPHABET.indexOf(letter);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >>> bits) & 0xff;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** Every distinct copy id whose token (with a valid checksum) occurs in `text`, in order of first occurrence. */
export function findCopyTokens(text: string): Buffer[] {
  const found = new Map<string, Buffer>();
  for (const match of text.matchAll(TOKEN)) {
    const copyId = untagCopyId(decodeLetters(match[1]!.replace(/\s/g, "").toUpperCase()));
    if (copyId) found.set(copyId.toString("hex"), copyId);
  }
  return [...found.values()];
}
