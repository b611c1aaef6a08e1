/**
 * Pseudonymous client ids (VEN-3): HMAC-SHA-256 of the client id under a key the vault derives for
 * one disclosure. Rows of one disclosure stay consistent (the same client, the same pseudonym);
 * two disclosures cannot be linked to each other or to the firm's ids without the vault.
 */
import { createHmac } from "node:crypto";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
/** 80 bits: collisions stay negligible for any disclosure a firm makes (birthday bound ~2^40). */
export const PSEUDONYM_BYTES = 10;
export const PSEUDONYM_KEY_MIN_BYTES = 32;

/** RFC 4648 base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

export function pseudonymFor(key: Buffer, clientId: string): string {
  // A short key would make pseudonyms guessable from the (known-format) client ids: a programmer error.
  if (key.length < PSEUDONYM_KEY_MIN_BYTES) throw new RangeError("pseudonym key must be at least 32 bytes");
  return `P-${base32(createHmac("sha256", key).update(clientId, "utf8").digest().subarray(0, PSEUDONYM_BYTES))}`;
}

/** The MAC purpose under which the vault derives a disclosure's pseudonym key (see derivePseudonymKey). */
export const PSEUDONYM_KEY_PURPOSE = "disclosure-pseudonym/v1";

/**
 * A disclosure's pseudonym key from the vault's keyed MAC: HMAC-SHA-256, under a key HKDF-derived
 * from the vault root for this purpose alone, of the disclosure id. HMAC is a PRF, so the result is
 * a 32-byte key independent for every disclosure id and unreachable without the vault root.
 */
export const derivePseudonymKey = (vault: { mac(purpose: string, data: string): string }, disclosureId: string): Buffer =>
  Buffer.from(vault.mac(PSEUDONYM_KEY_PURPOSE, disclosureId), "hex");
