/**
 * The one AES-256-GCM format of the vault (format byte, IV, tag, body), shared by field sealing
 * and by master keys held in process memory (the file provider), so a KEK wrapped before the
 * key-provider interface existed still opens.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

export class DecryptionError extends Error {
  constructor() {
    // No detail: the message must never help an attacker or carry data.
    super("ciphertext cannot be decrypted with this key and binding");
    this.name = "DecryptionError";
  }
}

// One randomBytes call costs microseconds of fixed overhead; IVs and keys are sliced from a pool
// of CSPRNG output instead, and every slice handed out is zeroed in the pool.
const POOL_BYTES = 16 * 1024;
let pool = Buffer.alloc(0);
let poolOffset = 0;
export function random(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  const out = Buffer.from(slice);
  slice.fill(0);
  return out;
}

export function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = random(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out[0] = FORMAT_V1;
  iv.copy(out, 1);
  cipher.getAuthTag().copy(out, 1 + IV_BYTES);
  body.copy(out, HEADER_BYTES);
  return out;
}

export function decrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT_V1) throw new DecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

/** Whether bytes have the sealed format's shape (format byte, IV and tag before the body). */
export const hasSealedShape = (value: Buffer) => value.length >= HEADER_BYTES && value[0] === FORMAT_V1;
