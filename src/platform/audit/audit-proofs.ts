/**
 * Proofs out of the audit tree: an event's inclusion under a signed checkpoint, and the consistency
 * of two checkpoints (the later tree extends the earlier one, nothing rewritten). Built from the
 * stored chain hashes; the checkpoints are the signed notes the log wrote.
 */
import type { Db } from "../db/engine.js";
import type { DbAuditEvent } from "../db/schema.js";
import { MerkleLevels } from "./merkle/levels.js";
import { consistencyProof } from "./merkle/tree.js";
import { auditLeaf } from "./tree-checkpoint.js";

export class ProofUnavailableError extends Error {
  constructor(readonly code: "no_checkpoint" | "event_not_found" | "event_not_yet_checkpointed" | "checkpoint_not_found") {
    super(code);
  }
}

/** The event columns a verifier needs to recompute its chain hash, and so its leaf. */
export type ProvenEventRow = Omit<DbAuditEvent, "hash" | "position">;

export interface InclusionProof {
  event: ProvenEventRow;
  /** Leaf index: the event's position in the log minus one. */
  index: number;
  /** The audit path, bottom up, base64. */
  proof: string[];
}

export interface TreeCheckpointRow {
  size: number;
  note: string;
}

export async function latestTreeCheckpoint(db: Db): Promise<TreeCheckpointRow | null> {
  const row = await db.selectFrom("audit_checkpoints").select(["seq", "note"]).where("note", "is not", null).orderBy("seq", "desc").limit(1).executeTakeFirst();
  return row ? { size: Number(row.seq), note: row.note! } : null;
}

async function treeCheckpointAt(db: Db, size: number): Promise<TreeCheckpointRow> {
  const row = await db.selectFrom("audit_checkpoints").select(["seq", "note"]).where("seq", "=", size).where("note", "is not", null).executeTakeFirst();
  if (!row) throw new ProofUnavailableError("checkpoint_not_found");
  return { size, note: row.note! };
}

/** The leaf hashes of events 1..size, concatenated. */
async function leavesUpTo(db: Db, size: number): Promise<Buffer> {
  const leaves = Buffer.allocUnsafe(size * 32);
  let done = 0;
  while (done < size) {
    const rows = await db
      .selectFrom("audit_events")
      .select("hash")
      .where("position", ">", done)
      .where("position", "<=", size)
      .orderBy("position")
      .limit(50_000)
      .execute();
    if (rows.length === 0) throw new Error(`audit events missing after ${done}`);
    for (const r of rows) auditLeaf(r.hash).copy(leaves, done++ * 32);
  }
  return leaves;
}

const toRow = ({ hash: _hash, position: _position, ...rest }: DbAuditEvent): ProvenEventRow => ({ ...rest, seq: Number(rest.seq) });

/** Inclusion proofs of the given events under the latest signed checkpoint (which must cover them: placed, then signed). */
export async function proveEvents(
  db: Db,
  events: readonly DbAuditEvent[],
  checkpoint?: TreeCheckpointRow,
): Promise<{ checkpoint: TreeCheckpointRow; proofs: InclusionProof[] }> {
  const at = checkpoint ?? (await latestTreeCheckpoint(db));
  if (!at) throw new ProofUnavailableError("no_checkpoint");
  if (events.some((e) => e.position === null || Number(e.position) > at.size)) throw new ProofUnavailableError("event_not_yet_checkpointed");
  if (events.length === 0) return { checkpoint: at, proofs: [] };
  const tree = new MerkleLevels(await leavesUpTo(db, at.size));
  return {
    checkpoint: at,
    proofs: events.map((e) => ({
      event: toRow(e),
      index: Number(e.position) - 1,
      proof: tree.inclusionProof(Number(e.position) - 1, at.size).map((h) => h.toString("base64")),
    })),
  };
}

export async function proveEvent(db: Db, eventId: string) {
  const event = await db.selectFrom("audit_events").selectAll().where("id", "=", eventId).executeTakeFirst();
  if (!event) throw new ProofUnavailableError("event_not_found");
  const { checkpoint, proofs } = await proveEvents(db, [event]);
  return { checkpoint, ...proofs[0]! };
}

/** The RFC 9162 consistency path from tree size `from` to `to` over the stored events, base64. */
export async function consistencyPath(db: Db, from: number, to: number): Promise<string[]> {
  const leaves = await leavesUpTo(db, to);
  const hashes = Array.from({ length: to }, (_, i) => leaves.subarray(i * 32, (i + 1) * 32));
  return consistencyProof(hashes, from, to).map((h) => h.toString("base64"));
}

/** RFC 9162 consistency proof between two signed checkpoints, by tree size. */
export async function proveConsistency(db: Db, from: number, to: number) {
  const [older, newer] = [await treeCheckpointAt(db, from), await treeCheckpointAt(db, to)];
  return { from: older, to: newer, proof: await consistencyPath(db, from, to) };
}
