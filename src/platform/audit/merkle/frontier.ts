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
export const extendFrontier = (frontier: Frontier, leaf: Uint8Array): void => appendSubtree(frontier, Buffer.from(leaf), 1);

/**
 * Appends the root of a perfect subtree of `size` leaves (a power of two). The frontier's size must
 * be a multiple of `size`, as it is when a log is verified in aligned chunks.
 */
export function appendSubtree(frontier: Frontier, root: Buffer, size: number): void {
  if (frontier.size % size !== 0) throw new Error(`a subtree of ${size} leaves does not align at ${frontier.size}`);
  let hash = root;
  // Arithmetic rather than bitwise: sizes may pass 2^31.
  for (let carry = frontier.size / size; carry % 2 === 1; carry = Math.floor(carry / 2)) hash = nodeHash(frontier.hashes.pop()!, hash);
  frontier.hashes.push(hash);
  frontier.size += size;
}

/**
 * Appends another frontier's leaves: a chunk of the log whose first leaf sits at a multiple of a
 * power of two at least as large as the chunk, so its subtrees line up with the tree's.
 */
export function appendFrontier(frontier: Frontier, chunk: Frontier): void {
  let rest = chunk.size;
  for (const hash of chunk.hashes) {
    // The largest power of two in what is left: the next subtree's size (largest first).
    let size = 1;
    while (size * 2 <= rest) size *= 2;
    appendSubtree(frontier, hash, size);
    rest -= size;
  }
}

/** MTH of the leaves so far: the subtrees folded from the right, as RFC 6962 splits at powers of two. */
export const frontierRoot = (frontier: Frontier): Buffer => (frontier.size === 0 ? EMPTY_ROOT : rootWith(frontier, null));

/**
 * The root of the frontier's leaves followed by an aligned chunk whose own fold is `chunkRoot`
 * (the chunk's frontierRoot): what the tree's root is partway through a chunk.
 */
export const rootWith = (frontier: Frontier, chunkRoot: Buffer | null): Buffer =>
  frontier.hashes.reduceRight<Buffer | null>((right, left) => (right ? nodeHash(left, right) : left), chunkRoot) ?? EMPTY_ROOT;

/** Stored beside a checkpoint as hex, comma-separated. */
export const serializeFrontier = (frontier: Frontier): string => frontier.hashes.map((h) => h.toString("hex")).join(",");

export function parseFrontier(size: number, text: string): Frontier {
  const hashes = text === "" ? [] : text.split(",").map((h) => Buffer.from(h, "hex"));
  let bits = 0;
  for (let n = size; n > 0; n = Math.floor(n / 2)) bits += n % 2;
  if (hashes.length !== bits || hashes.some((h) => h.length !== 32)) throw new Error(`frontier does not fit a tree of ${size} leaves`);
  return { size, hashes };
}
