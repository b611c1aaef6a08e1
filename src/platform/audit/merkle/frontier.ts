import { EMPTY_ROOT, nodeHash } from "./tree.js";

/**
 * The compact range of a log's leaves [0, size): the roots of its perfect subtrees, largest first.
 * At most log2(size) hashes, yet enough to append leaves and compute the RFC 6962 root, so a
 * checkpoint extends the previous one's frontier by the events since instead of rereading the log.
 */
export interface Frontier {
  size: number;
  hashes: Buffer[];
}

export const emptyFrontier = (): Frontier => ({ size: 0, hashes: [] });

/** Appends one leaf hash: merges equal-sized subtrees the way a binary counter carries. */
export function extendFrontier(frontier: Frontier, leaf: Uint8Array): void {
  let hash: Buffer = Buffer.from(leaf);
  // Arithmetic rather than bitwise: sizes may pass 2^31.
  for (let carry = frontier.size; carry % 2 === 1; carry = Math.floor(carry / 2)) hash = nodeHash(frontier.hashes.pop()!, hash);
  frontier.hashes.push(hash);
  frontier.size++;
}

/** MTH of the leaves so far: the subtrees folded from the right, as RFC 6962 splits at powers of two. */
export function frontierRoot(frontier: Frontier): Buffer {
  if (frontier.size === 0) return EMPTY_ROOT;
  let hash = frontier.hashes.at(-1)!;
  for (let i = frontier.hashes.length - 2; i >= 0; i--) hash = nodeHash(frontier.hashes[i]!, hash);
  return hash;
}

/** Stored beside a checkpoint as hex, comma-separated. */
export const serializeFrontier = (frontier: Frontier): string => frontier.hashes.map((h) => h.toString("hex")).join(",");

export function parseFrontier(size: number, text: string): Frontier {
  const hashes = text === "" ? [] : text.split(",").map((h) => Buffer.from(h, "hex"));
  let bits = 0;
  for (let n = size; n > 0; n = Math.floor(n / 2)) bits += n % 2;
  if (hashes.length !== bits || hashes.some((h) => h.length !== 32)) throw new Error(`frontier does not fit a tree of ${size} leaves`);
  return { size, hashes };
}
