import { nodeHash } from "./tree.js";

const HASH = 32;

/**
 * Every complete subtree of a log held in memory (about twice the leaf hashes, in one buffer per
 * level), so that any number of inclusion proofs cost O(log n) each: an access package proves each
 * of a client's events against one checkpoint without rehashing the log per event.
 */
export class MerkleLevels {
  /** levels[l] holds, 32 bytes each, the roots of the perfect subtrees [i·2^l, (i+1)·2^l). */
  readonly #levels: Buffer[] = [];

  /** `leaves`: the leaf hashes, 32 bytes each, concatenated. */
  constructor(leaves: Buffer) {
    if (leaves.length % HASH !== 0) throw new RangeError("leaf hashes must be 32 bytes each");
    let level = leaves;
    this.#levels.push(level);
    while (level.length > HASH) {
      const pairs = Math.floor(level.length / (2 * HASH));
      const next = Buffer.allocUnsafe(pairs * HASH);
      for (let j = 0; j < pairs; j++)
        nodeHash(level.subarray(2 * j * HASH, (2 * j + 1) * HASH), level.subarray((2 * j + 1) * HASH, (2 * j + 2) * HASH)).copy(next, j * HASH);
      this.#levels.push(next);
      level = next;
    }
  }

  get size(): number {
    return this.#levels[0]!.length / HASH;
  }

  #node(level: number, index: number): Buffer {
    return this.#levels[level]!.subarray(index * HASH, (index + 1) * HASH);
  }

  /** MTH of leaves [start, end), where start is a multiple of a power of two at least end - start. */
  #range(start: number, end: number): Buffer {
    const parts: Buffer[] = [];
    let pos = start;
    while (pos < end) {
      let level = 0;
      while (pos % 2 ** (level + 1) === 0 && pos + 2 ** (level + 1) <= end) level++;
      parts.push(this.#node(level, pos / 2 ** level));
      pos += 2 ** level;
    }
    let hash = parts.at(-1)!;
    for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i]!, hash);
    return hash;
  }

  root(size = this.size): Buffer {
    if (size < 1 || size > this.size) throw new RangeError(`no tree of ${size} leaves here`);
    return this.#range(0, size);
  }

  /** RFC 9162 §2.1.3.1 audit path, bottom up: a level's sibling is skipped where the tree has none. */
  inclusionProof(index: number, size: number): Buffer[] {
    if (!(Number.isInteger(index) && Number.isInteger(size) && index >= 0 && index < size && size <= this.size)) {
      throw new RangeError(`no leaf ${index} in a tree of ${size}`);
    }
    const path: Buffer[] = [];
    for (let level = 0; 2 ** level < size; level++) {
      const node = Math.floor(index / 2 ** level);
      const sibling = node % 2 === 0 ? node + 1 : node - 1;
      const start = sibling * 2 ** level;
      if (start < size) path.push(this.#range(start, Math.min(start + 2 ** level, size)));
    }
    return path;
  }
}
