/**
 * RFC 9162 §2.1.3.2 inclusion verification over SHA-256 with the RFC 6962 leaf/node prefixes, with
 * pluggable (async) hashing. merkle/tree.ts keeps the synchronous version the log builds with; the
 * property tests hold the two to the same answers.
 */
import { concat, equal } from "./bytes.js";
import type { HistoryCrypto } from "./crypto.js";

const HASH = 32;

export const leafHash = (data: Uint8Array, crypto: HistoryCrypto) => crypto.sha256(concat(Uint8Array.of(0x00), data));
export const nodeHash = (left: Uint8Array, right: Uint8Array, crypto: HistoryCrypto) => crypto.sha256(concat(Uint8Array.of(0x01), left, right));

const isHash = (h: unknown): h is Uint8Array => h instanceof Uint8Array && h.length === HASH;
const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const half = (n: number): number => Math.floor(n / 2);
const odd = (n: number): boolean => n % 2 === 1;

/** Sizes are checked as safe integers, so the arithmetic (not bitwise: indexes may pass 2^31) is exact. */
export async function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
  crypto: HistoryCrypto,
): Promise<boolean> {
  if (!isHash(leaf) || !isHash(root) || !Array.isArray(proof) || !proof.every(isHash) || !isCount(index) || !isCount(size) || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r, crypto);
      // Skip the levels where this subtree is the right edge and has no sibling.
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else r = await nodeHash(r, p, crypto);
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && equal(root, r);
}
