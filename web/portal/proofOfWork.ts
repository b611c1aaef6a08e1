/**
 * The intake's hashcash (GET /portal/challenge): the first decimal nonce n such that
 * SHA-256(`${challenge}:${n}`) starts with `bits` zero bits. Hashed in batches with
 * crypto.subtle, yielding to the browser between batches so the page stays responsive.
 */
const BATCH = 256;
/** The server accepts nonces of at most 8 digits. */
const MAX_NONCE = 99_999_999;

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    bits += Math.clz32(byte) - 24;
    break;
  }
  return bits;
}

/** `progress` gets the chance (0..1) that a solution would have been found after this many tries. */
export async function solveProof(challenge: string, bits: number, progress: (share: number) => void): Promise<string> {
  const encoder = new TextEncoder();
  const expected = 2 ** bits;
  for (let start = 0; start <= MAX_NONCE; start += BATCH) {
    const hashes = await Promise.all(Array.from({ length: BATCH }, (_, i) => crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${start + i}`))));
    const found = hashes.findIndex((h) => leadingZeroBits(new Uint8Array(h)) >= bits);
    if (found >= 0) {
      progress(1);
      return String(start + found);
    }
    progress(1 - Math.exp(-(start + BATCH) / expected));
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new Error("proof of work not found");
}
