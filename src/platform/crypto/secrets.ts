/**
 * The security primitives for credentials: random secrets and codes, SHA-256, HMAC and a
 * constant-time comparison. Sign-in, tokens, the portal and webhooks use these and nothing else
 * from node:crypto, so a reviewer reads one small file. Client data keys stay in the vault.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** `bytes` bytes from the operating system's CSPRNG. */
export const randomSecretBytes = (bytes: number): Buffer => randomBytes(bytes);

/** A random secret of `bytes` bytes as base64url (32 bytes: 43 characters, 256 bits). */
export const randomSecret = (bytes: number): string => randomBytes(bytes).toString("base64url");

/** `length` characters drawn uniformly from `alphabet`: one-time and recovery codes meant for people. */
export function randomCode(alphabet: string, length: number): string {
  let code = "";
  // randomInt rejects biased draws, so every character is equally likely.
  for (let i = 0; i < length; i++) code += alphabet[randomInt(alphabet.length)];
  return code;
}

export const sha256 = (data: string | Uint8Array): Buffer => createHash("sha256").update(data).digest();

/**
 * Hex SHA-256. Enough for a random secret of 128 bits or more (tokens, session secrets, recovery
 * codes under lockout); anything guessable needs a keyed MAC (`Vault.mac`) instead.
 */
export const sha256Hex = (data: string | Uint8Array): string => sha256(data).toString("hex");

/** Hex HMAC-SHA-256 under a key the caller holds (a webhook's shared secret). */
export const hmac = (key: string | Uint8Array, data: string | Uint8Array): string => createHmac("sha256", key).update(data).digest("hex");

/**
 * Whether two secrets, digests or codes are equal, in time that does not depend on where they
 * differ. Strings compare as UTF-8 bytes. The length may show: every value compared here has a
 * fixed, public length (a digest, a six-digit code).
 */
export function constantTimeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const x = typeof a === "string" ? Buffer.from(a, "utf8") : a;
  const y = typeof b === "string" ? Buffer.from(b, "utf8") : b;
  // Constant-time comparison: no timing side channel.
  return x.length === y.length && timingSafeEqual(x, y);
}
