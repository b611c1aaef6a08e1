import type { Db } from "../db/engine.js";
import { verifyCheckpointSignature } from "../../vault/vault.js";
import { checkpointMessage, eventHash, GENESIS_HASH } from "./chain.js";
import { emptyFrontier, extendFrontier, frontierRoot } from "./merkle/frontier.js";
import { auditLeaf, auditLogKey, openTreeCheckpoint } from "./tree-checkpoint.js";

export type ChainProblem =
  | "sequence_gap" // an event was removed, or its position was changed
  | "broken_link" // prev_hash does not name the event before: reordered or removed
  | "hash_mismatch" // the event's content was altered
  | "checkpoint_signature" // a checkpoint was forged or altered
  | "checkpoint_mismatch" // the event a checkpoint signed is no longer the same
  | "tree_mismatch" // the Merkle root of the events differs from the one a signed checkpoint holds
  | "truncated"; // events after a signed checkpoint are missing

export interface VerifyReport {
  ok: boolean;
  /** Events placed in the log and checked. */
  events: number;
  /** Events inserted but not yet placed by the sequencer: counted, not yet provable. */
  pending: number;
  checkpoints: number;
  /** The position of the last event checked. */
  headSeq: number;
  /** `seq` is the event's position in the log. */
  firstBad: { seq: number; problem: ChainProblem } | null;
}

const PAGE = 20_000;

/**
 * Walks the whole chain in position order. `publicKey` is the checkpoint key the verifier trusts — taken
 * from the vault, not from the checkpoint rows, which an attacker could replace along with the log.
 */
export async function verifyAuditChain(
  db: Db,
  publicKey: string,
  onProgress?: (verified: number) => void,
  /** Checkpoint notes kept outside the database (the checkpoint log): they catch a deleted tail. */
  externalNotes: readonly string[] = [],
): Promise<VerifyReport> {
  const checkpoints = await db.selectFrom("audit_checkpoints").selectAll().orderBy("seq").execute();
  const { vkey } = auditLogKey(publicKey);
  const signedAt = new Map<number, string>();
  // Tree roots a signed note vouches for, by tree size: the database's and the outside log's.
  const roots = new Map<number, string[]>();
  const vouch = (size: number, root: Buffer) => roots.set(size, [...(roots.get(size) ?? []), root.toString("hex")]);
  const pending = Number(
    (
      await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("position", "is", null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  const forged = (seq: number): VerifyReport => ({
    ok: false,
    events: 0,
    pending,
    checkpoints: checkpoints.length,
    headSeq: 0,
    firstBad: { seq, problem: "checkpoint_signature" },
  });
  for (const c of checkpoints) {
    const seq = Number(c.seq);
    if (!verifyCheckpointSignature(publicKey, checkpointMessage(c.seq, c.head_hash, c.signed_at), c.signature)) return forged(seq);
    signedAt.set(seq, c.head_hash);
    if (c.note === null) continue;
    try {
      const tree = openTreeCheckpoint(c.note, vkey);
      if (tree.size !== seq || tree.root.toString("hex") !== c.tree_root) return forged(seq);
      vouch(seq, tree.root);
    } catch {
      return forged(seq);
    }
  }
  let outsideHead = 0;
  for (const note of externalNotes) {
    try {
      const tree = openTreeCheckpoint(note, vkey);
      vouch(tree.size, tree.root);
      outsideHead = Math.max(outsideHead, tree.size);
    } catch {
      return forged(0);
    }
  }
  const frontier = emptyFrontier();

  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let count = 0;
  const fail = (seq: number, problem: ChainProblem): VerifyReport => ({
    ok: false,
    events: count,
    pending,
    checkpoints: checkpoints.length,
    headSeq: expectedSeq - 1,
    firstBad: { seq, problem },
  });

  for (;;) {
    const rows = await db.selectFrom("audit_events").selectAll().where("position", ">=", expectedSeq).orderBy("position").limit(PAGE).execute();
    for (const row of rows) {
      const at = expectedSeq;
      if (Number(row.position) !== at) return fail(at, "sequence_gap");
      if (row.prev_hash !== prevHash) return fail(at, "broken_link");
      if (eventHash(row) !== row.hash) return fail(at, "hash_mismatch");
      const signed = signedAt.get(at);
      if (signed !== undefined && signed !== row.hash) return fail(at, "checkpoint_mismatch");
      extendFrontier(frontier, auditLeaf(row.hash));
      const vouched = roots.get(at);
      if (vouched?.some((root) => root !== frontierRoot(frontier).toString("hex"))) return fail(at, "tree_mismatch");
      prevHash = row.hash;
      expectedSeq++;
      count++;
    }
    onProgress?.(count);
    if (rows.length < PAGE) break;
  }
  const lastSigned = checkpoints.at(-1);
  if ((lastSigned && Number(lastSigned.seq) > count) || outsideHead > count) return fail(count + 1, "truncated");
  return { ok: true, events: count, pending, checkpoints: checkpoints.length, headSeq: count, firstBad: null };
}
