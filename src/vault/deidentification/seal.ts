/**
 * ENC-5: a package for a cloud provider is encrypted before it leaves, with AES-256-GCM under a
 * one-time key that goes to the recipient out of band (never with the package, never stored).
 * The vault's one AES-GCM format (format byte, IV, tag, body); the associated data names the
 * package format, so a sealed field can never be passed off as a package or the reverse.
 */
import { DecryptionError, decrypt, encrypt, random } from "../aes-gcm.js";

const KEY_BYTES = 32;
const AAD = Buffer.from("custodia-disclosure-package/v1", "utf8");

export class PackageIntegrityError extends Error {
  constructor() {
    super("the package cannot be opened with this key, or it was altered");
    this.name = "PackageIntegrityError";
  }
}

export function sealPackage(bytes: Buffer): { sealed: Buffer; keyBase64: string } {
  const key = random(KEY_BYTES);
  try {
    return { sealed: encrypt(key, bytes, AAD), keyBase64: key.toString("base64") };
  } finally {
    key.fill(0);
  }
}

export function openPackage(sealed: Buffer, keyBase64: string): Buffer {
  const key = Buffer.from(keyBase64, "base64");
  try {
    if (key.length !== KEY_BYTES) throw new PackageIntegrityError();
    return decrypt(key, sealed, AAD);
  } catch (error) {
    if (error instanceof DecryptionError) throw new PackageIntegrityError();
    throw error;
  } finally {
    key.fill(0);
  }
}
