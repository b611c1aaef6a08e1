import { availableParallelism } from "node:os";
import type { Db, ReadOnlyTarget } from "../db/engine.js";
import { verifyCheckpointSignature } from "../../vault/vault.js";
import { checkpointMessage, GENESIS_HASH } from "./chain.js";
import { type ChainProblem, checkChunk, type ChunkChecks, type ChunkReport } from "./chain-chunk.js";
import { chainRowsOf } from "./chain-rows.js";
import { ThreadPool } from "../threads/thread-pool.js";
import type { ChunkTask, ChunkThreadData } from "./audit-chunk-thread.js";
import { appendFrontier, emptyFrontier, parseFrontier, rootWith } from "./merkle/frontier.js";
import { auditLogKey, openTreeCheckpoint } from "./tree-checkpoint.js";

export type { ChainProblem };

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

/** Where the walk may use worker threads: a connection they can open again, and how many. */
export interface ParallelWalk {
  readonly target: ReadOnlyTarget;
  readonly threads: number;
  /**
   * Events per chunk a thread checks at once: a power of two, so each chunk's Merkle subtrees line
   * up with the tree's. Large enough that a chunk's fixed costs vanish; tests make it small.
   */
  readonly chunkEvents?: number;
}

const CHUNK_EVENTS = 16_384;

/** A thread per core, where the database can be opened again (a file or a PostgreSQL URL). */
export const onEveryCore = (target: ReadOnlyTarget | undefined): ParallelWalk | undefined => (target ? { target, threads: availableParallelism() } : undefined);

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
  /** Without it, or for a log of one chunk, the walk runs on this thread over `db`. */
  parallel?: ParallelWalk,
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
  const last = Number(
    (
      await db
        .selectFrom("audit_events")
        .select((eb) => eb.fn.max("position").as("n"))
        .executeTakeFirstOrThrow()
    ).n ?? 0,
  );
  const fail = (seq: number, problem: ChainProblem): VerifyReport => ({
    ok: false,
    events: seq - 1,
    pending,
    checkpoints: checkpoints.length,
    headSeq: seq - 1,
    firstBad: { seq, problem },
  });

  const checks: ChunkChecks = { signedAt, vouched: new Set(roots.keys()) };
  const chunks = inChunks(db, last, checks, parallel);
  const frontier = emptyFrontier();
  let prevHash = GENESIS_HASH;
  let count = 0;
  try {
    for await (const chunk of chunks.reports) {
      if (chunk.firstPrevHash !== null && chunk.firstPrevHash !== prevHash) return fail(chunk.from, "broken_link");
      for (const [at, fold] of chunk.folds) {
        const root = rootWith(frontier, Buffer.from(fold, "hex")).toString("hex");
        if (roots.get(at)!.some((vouched) => vouched !== root)) return fail(at, "tree_mismatch");
      }
      if (chunk.problem) return fail(chunk.problem.seq, chunk.problem.problem);
      appendFrontier(frontier, parseFrontier(chunk.count, chunk.subtrees.join(",")));
      prevHash = chunk.lastHash ?? prevHash;
      count += chunk.count;
      onProgress?.(count);
    }
  } finally {
    await chunks.close();
  }
  const lastSigned = checkpoints.at(-1);
  if ((lastSigned && Number(lastSigned.seq) > count) || outsideHead > count) return fail(count + 1, "truncated");
  return { ok: true, events: count, pending, checkpoints: checkpoints.length, headSeq: count, firstBad: null };
}

/**
 * The chunks' reports in position order. On worker threads, a few chunks run ahead of the one
 * being joined, so the threads stay busy and a failure wastes little work.
 */
function inChunks(db: Db, last: number, checks: ChunkChecks, parallel?: ParallelWalk) {
  const size = parallel?.chunkEvents ?? CHUNK_EVENTS;
  if (!Number.isInteger(Math.log2(size))) throw new Error(`chunks of ${size} events do not line up with the tree`);
  const tasks = Array.from({ length: Math.ceil(last / size) }, (_, i) => ({ from: i * size + 1, to: Math.min((i + 1) * size, last) }));
  if (!parallel || parallel.threads < 2 || tasks.length < 2) {
    const rows = chainRowsOf(db);
    return {
      reports: (async function* () {
        for (const { from, to } of tasks) yield checkChunk(from, to, await rows.between(from, to), checks);
      })(),
      close: () => rows.close(),
    };
  }
  const data: ChunkThreadData = { target: parallel.target, signedAt: [...checks.signedAt], vouched: [...checks.vouched] };
  const pool = new ThreadPool<ChunkTask, ChunkReport>(new URL("./audit-chunk-thread.ts", import.meta.url), data, parallel.threads);
  const ahead: Promise<ChunkReport>[] = [];
  let next = 0;
  const refill = () => {
    while (next < tasks.length && ahead.length < parallel.threads * 2) {
      const report = pool.run(tasks[next++]!);
      report.catch(() => {}); // awaited in order below; a walk that stops early drops the rest
      ahead.push(report);
    }
  };
  return {
    reports: (async function* () {
      refill();
      while (ahead.length > 0) {
        const report = await ahead.shift()!;
        refill();
        yield report;
      }
    })(),
    close: () => pool.close(),
  };
}
