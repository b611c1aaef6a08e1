/**
 * One chunk of the audit log, checked on its own: the events at positions [from, to], whose first
 * position sits at a multiple of the chunk size (a power of two). Everything that needs only the
 * chunk's rows is done here — content hashes, links inside the chunk, signed heads, the chunk's
 * Merkle subtrees — so chunks can be checked on several threads at once; audit-verifier.ts then
 * joins them in order with only a few hashes per chunk.
 */
import { chainHash } from "./chain.js";
import { appendSubtree, emptyFrontier, frontierRoot, type Frontier } from "./merkle/frontier.js";
import { leafHash } from "./merkle/tree.js";

export type ChainProblem =
  | "sequence_gap" // an event was removed, or its position was changed
  | "broken_link" // prev_hash does not name the event before: reordered or removed
  | "hash_mismatch" // the event's content was altered
  | "checkpoint_signature" // a checkpoint was forged or altered
  | "checkpoint_mismatch" // the event a checkpoint signed is no longer the same
  | "tree_mismatch" // the Merkle root of the events differs from the one a signed checkpoint holds
  | "truncated"; // events after a signed checkpoint are missing

/** What a chunk is checked against, taken from signed checkpoints only. */
export interface ChunkChecks {
  /** Position → the event hash a signed checkpoint names there. */
  readonly signedAt: ReadonlyMap<number, string>;
  /** Positions where a signed note vouches for the tree's root. */
  readonly vouched: ReadonlySet<number>;
}

export interface ChunkReport {
  readonly from: number;
  /** Events that passed every check, from `from` on, without a break. */
  readonly count: number;
  /** The first event's prev_hash when it sits at `from`: the link to the chunk before, checked there. */
  readonly firstPrevHash: string | null;
  readonly lastHash: string | null;
  /** The chunk's own Merkle subtrees over its `count` events (hex, largest first). */
  readonly subtrees: readonly string[];
  /** At each vouched position passed: the fold of the chunk's subtrees so far (hex). */
  readonly folds: readonly (readonly [position: number, fold: string])[];
  readonly problem: { readonly seq: number; readonly problem: ChainProblem } | null;
}

/**
 * An event as the chunk check needs it: its position, the text its chain hash is taken over
 * (chain.ts eventHashInput), and its two chain links.
 */
export type ChainLink = readonly [position: number | null, hashInput: string, prevHash: string, hash: string];

/** Checks one chunk's rows in position order; stops at the first problem. */
export function checkChunk(from: number, to: number, links: Iterable<ChainLink>, checks: ChunkChecks): ChunkReport {
  const frontier: Frontier = emptyFrontier();
  const folds: [number, string][] = [];
  let firstPrevHash: string | null = null;
  let prev: string | null = null;
  let at = from;
  let problem: ChunkReport["problem"] = null;
  for (const [position, hashInput, prevHash, hash] of links) {
    if (Number(position) !== at) {
      problem = { seq: at, problem: "sequence_gap" };
      break;
    }
    if (prev === null) firstPrevHash = prevHash;
    else if (prevHash !== prev) {
      problem = { seq: at, problem: "broken_link" };
      break;
    }
    if (chainHash(hashInput) !== hash) {
      problem = { seq: at, problem: "hash_mismatch" };
      break;
    }
    const signed = checks.signedAt.get(at);
    if (signed !== undefined && signed !== hash) {
      problem = { seq: at, problem: "checkpoint_mismatch" };
      break;
    }
    // The leaf is the chain hash (tree-checkpoint.ts auditLeaf), inlined to keep the thread's imports few.
    appendSubtree(frontier, leafHash(Buffer.from(hash, "hex")), 1);
    if (checks.vouched.has(at)) folds.push([at, frontierRoot(frontier).toString("hex")]);
    prev = hash;
    at++;
  }
  // Rows missing at the chunk's end (the last position was read before the walk began).
  if (!problem && at <= to) problem = { seq: at, problem: "sequence_gap" };
  return {
    from,
    count: at - from,
    firstPrevHash,
    lastHash: prev,
    subtrees: frontier.hashes.map((h) => h.toString("hex")),
    folds,
    problem,
  };
}
