import { uuidv7 } from "../ids.js";
import type { Engine, Tx } from "../db/engine.js";
import type { DbAuditEvent } from "../db/schema.js";
import type { Vault } from "../../vault/vault.js";
import type { AuditEventInput } from "./audit-event.js";
import { checkpointMessage, eventHash, GENESIS_HASH } from "./chain.js";
import { emptyFrontier, extendFrontier, frontierRoot, parseFrontier, serializeFrontier } from "./merkle/frontier.js";
import { auditLeaf, signTreeCheckpoint } from "./tree-checkpoint.js";

/** A signed checkpoint of the chain head is written whenever the sequence passes a multiple of this. */
export const CHECKPOINT_INTERVAL = 1000;

export interface AuditLog {
  /** Appends events in the caller's transaction, so they commit or vanish with the action. */
  append(tx: Tx, events: readonly AuditEventInput[], at?: string): Promise<DbAuditEvent[]>;
  /** Signs the current head if it moved since the last checkpoint. */
  checkpoint(tx: Tx, at?: string): Promise<void>;
}

/**
 * Runs after events are inserted, in the same transaction, so whatever it writes (detection
 * alerts, containment) commits or vanishes with the events. Events it appends itself are not
 * observed again, so an observer cannot feed on its own output.
 */
export type AuditObserver = (tx: Tx, rows: readonly DbAuditEvent[]) => Promise<void>;

/** `observers` may be filled after creation (an observer may need this log to append its own events). */
export function createAuditLog(engine: Engine, vault: Vault, observers: readonly AuditObserver[] = []): AuditLog {
  const observing = new WeakSet<Tx>();
  async function head(tx: Tx) {
    const row = await tx.selectFrom("audit_events").select(["seq", "hash"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * The tree at `seq`: the last checkpoint's frontier extended by the events since (read back, or
   * `fresh` where the caller holds them). After an upgrade the first one reads the log from the start.
   */
  async function treeAt(tx: Tx, seq: number, fresh: readonly DbAuditEvent[]) {
    const last = await tx
      .selectFrom("audit_checkpoints")
      .select(["seq", "frontier"])
      .where("seq", "<", seq)
      .where("frontier", "is not", null)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    const frontier = last ? parseFrontier(Number(last.seq), last.frontier!) : emptyFrontier();
    const freshFrom = fresh[0]?.seq ?? seq + 1;
    while (frontier.size < Math.min(seq, freshFrom - 1)) {
      const rows = await tx
        .selectFrom("audit_events")
        .select("hash")
        .where("seq", ">", frontier.size)
        .where("seq", "<", Math.min(seq + 1, freshFrom))
        .orderBy("seq")
        .limit(20_000)
        .execute();
      if (rows.length === 0) throw new Error(`audit events missing after ${frontier.size}`);
      for (const r of rows) extendFrontier(frontier, auditLeaf(r.hash));
    }
    for (const r of fresh) if (r.seq === frontier.size + 1 && r.seq <= seq) extendFrontier(frontier, auditLeaf(r.hash));
    if (frontier.size !== seq) throw new Error(`audit tree stopped at ${frontier.size}, not ${seq}`);
    return frontier;
  }

  async function writeCheckpoint(tx: Tx, seq: number, hash: string, at: string, fresh: readonly DbAuditEvent[] = []) {
    const frontier = await treeAt(tx, seq, fresh);
    const root = frontierRoot(frontier);
    const tree = { tree_root: root.toString("hex"), frontier: serializeFrontier(frontier), note: signTreeCheckpoint(vault, seq, root) };
    await tx
      .insertInto("audit_checkpoints")
      .values({
        seq,
        head_hash: hash,
        signed_at: at,
        public_key: vault.checkpointPublicKey,
        signature: vault.signCheckpoint(checkpointMessage(seq, hash, at)),
        ...tree,
      })
      // A checkpoint from before the tree (migration 0023) gains its root; a signed one is never rewritten.
      .onConflict((oc) => oc.column("seq").doUpdateSet(tree).where("audit_checkpoints.note", "is", null))
      .execute();
  }

  return {
    async append(tx, events, at = new Date().toISOString()) {
      if (events.length === 0) return [];
      await engine.lockAuditChain(tx);
      let { seq, hash } = await head(tx);
      const rows: DbAuditEvent[] = [];
      let crossed = false;
      for (const e of events) {
        const row: DbAuditEvent = {
          seq: seq + 1,
          // The id carries the event's own time, so an anonymous event's id is no finer than its time.
          id: uuidv7(Date.parse(at)),
          at,
          actor_id: e.actorId ?? null,
          actor_role: e.actorRole ?? null,
          action: e.action,
          target_type: e.targetType ?? null,
          target_id: e.targetId ?? null,
          purpose: e.purpose ?? null,
          outcome: e.outcome,
          reason: e.reason ?? null,
          request_id: e.requestId ?? null,
          details: e.details ? JSON.stringify(e.details) : null,
          prev_hash: hash,
          hash: "",
        };
        row.hash = eventHash(row);
        rows.push(row);
        seq = row.seq;
        hash = row.hash;
        if (seq % CHECKPOINT_INTERVAL === 0) crossed = true;
      }
      // Chunked so a bulk import stays under both engines' bound-parameter limits.
      for (let i = 0; i < rows.length; i += 500) {
        await tx
          .insertInto("audit_events")
          .values(rows.slice(i, i + 500))
          .execute();
      }
      if (crossed) await writeCheckpoint(tx, seq, hash, at, rows);
      if (observers.length && !observing.has(tx)) {
        observing.add(tx);
        try {
          for (const observe of observers) await observe(tx, rows);
        } finally {
          observing.delete(tx);
        }
      }
      return rows;
    },

    async checkpoint(tx, at = new Date().toISOString()) {
      await engine.lockAuditChain(tx);
      const { seq, hash } = await head(tx);
      if (seq === 0) return;
      const last = await tx.selectFrom("audit_checkpoints").select("seq").where("note", "is not", null).orderBy("seq", "desc").limit(1).executeTakeFirst();
      if (last && last.seq >= seq) return;
      await writeCheckpoint(tx, seq, hash, at);
    },
  };
}
