import { uuidv7 } from "../ids.js";
import type { Engine, Tx } from "../db/engine.js";
import { insertRows } from "../db/insert-rows.js";
import { prepared } from "../db/prepared.js";
import type { DbAuditEvent } from "../db/schema.js";
import type { Vault } from "../../vault/vault.js";
import type { AuditEventInput } from "./audit-event.js";
import { checkpointMessage, eventHash, GENESIS_HASH } from "./chain.js";
import { emptyFrontier, extendFrontier, type Frontier, frontierRoot, parseFrontier, serializeFrontier } from "./merkle/frontier.js";
import { auditLeaf, signTreeCheckpoint } from "./tree-checkpoint.js";

const COLUMNS = [
  "seq",
  "id",
  "at",
  "actor_id",
  "actor_role",
  "action",
  "target_type",
  "target_id",
  "purpose",
  "outcome",
  "reason",
  "request_id",
  "details",
  "prev_hash",
  "hash",
  "position",
] as const satisfies readonly (keyof DbAuditEvent)[];
// Fails to compile if a column is added to the table but not to the list above.
const listsEveryColumn: [Exclude<keyof DbAuditEvent, (typeof COLUMNS)[number]>] extends [never] ? true : never = true;
void listsEveryColumn;
// The stand-ins cannot be spread (they are looked up by name), so the columns are listed.
const insertOne = prepared((db, a: DbAuditEvent) =>
  db.insertInto("audit_events").values(Object.fromEntries(COLUMNS.map((c) => [c, a[c]])) as unknown as DbAuditEvent),
);

/** Pending events the sequencer reads and places per statement. */
const BATCH = 5000;

export interface AuditLog {
  /**
   * Inserts events in the caller's transaction, so they commit or vanish with the action. They
   * are pending (no position, no chain hash) until the sequencer integrates them; no lock is held.
   */
  append(tx: Tx, events: readonly AuditEventInput[], at?: string): Promise<DbAuditEvent[]>;
  /**
   * The sequencer's step: places every committed pending event in the log (position, chain hash,
   * Merkle leaf) and signs a checkpoint of the new tree. `wait: false` returns at once, having
   * done nothing, while another server's sequencer is at work. Returns how many it placed.
   */
  integrate(tx: Tx, options?: { wait?: boolean; at?: string }): Promise<number>;
  /** Where a server's metrics take the time of each append, in seconds. */
  onAppendTimed: ((seconds: number) => void) | null;
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

  /**
   * The tree of the first `size` events: the last checkpoint's frontier extended by the events
   * placed since. After an upgrade the first one reads the log from the start.
   */
  async function treeAt(tx: Tx, size: number): Promise<Frontier> {
    const last = await tx
      .selectFrom("audit_checkpoints")
      .select(["seq", "frontier"])
      .where("seq", "<=", size)
      .where("frontier", "is not", null)
      .orderBy("seq", "desc")
      .limit(1)
      .executeTakeFirst();
    const frontier = last ? parseFrontier(Number(last.seq), last.frontier!) : emptyFrontier();
    while (frontier.size < size) {
      const rows = await tx
        .selectFrom("audit_events")
        .select("hash")
        .where("position", ">", frontier.size)
        .where("position", "<=", size)
        .orderBy("position")
        .limit(20_000)
        .execute();
      if (rows.length === 0) throw new Error(`audit events missing after position ${frontier.size}`);
      for (const r of rows) extendFrontier(frontier, auditLeaf(r.hash));
    }
    return frontier;
  }

  async function writeCheckpoint(tx: Tx, frontier: Frontier, hash: string, at: string) {
    const size = frontier.size;
    const root = frontierRoot(frontier);
    const tree = { tree_root: root.toString("hex"), frontier: serializeFrontier(frontier), note: signTreeCheckpoint(vault, size, root) };
    await tx
      .insertInto("audit_checkpoints")
      .values({
        seq: size,
        head_hash: hash,
        signed_at: at,
        public_key: vault.checkpointPublicKey,
        signature: vault.signCheckpoint(checkpointMessage(size, hash, at)),
        ...tree,
      })
      // A checkpoint from before the tree (migration 0023) gains its root; a signed one is never rewritten.
      .onConflict((oc) => oc.column("seq").doUpdateSet(tree).where("audit_checkpoints.note", "is", null))
      .execute();
  }

  const log: AuditLog = {
    async append(tx, events, at = new Date().toISOString()) {
      if (events.length === 0) return [];
      const started = performance.now();
      const arrivals = await engine.auditArrivals(tx, events.length);
      const rows: DbAuditEvent[] = events.map((e, i) => ({
        seq: arrivals[i]!,
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
        prev_hash: "",
        hash: "",
        position: null,
      }));
      // One event is what nearly every request appends: that insert is compiled once. Many are
      // chunked (insert-rows.ts), so a bulk import stays under both engines' bound-parameter limits.
      if (rows.length === 1) await insertOne(tx, rows[0]!);
      else await insertRows(tx, "audit_events", rows);
      log.onAppendTimed?.((performance.now() - started) / 1000);
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

    async integrate(tx, { wait = true, at = new Date().toISOString() } = {}) {
      if (!(await engine.lockAuditSequencer(tx, wait))) return 0;
      const head = await tx
        .selectFrom("audit_events")
        .select(["position", "hash"])
        .where("position", "is not", null)
        .orderBy("position", "desc")
        .limit(1)
        .executeTakeFirst();
      const frontier = await treeAt(tx, head ? Number(head.position) : 0);
      let hash = head?.hash ?? GENESIS_HASH;
      let placed = 0;
      for (;;) {
        const pending = await tx.selectFrom("audit_events").selectAll().where("position", "is", null).orderBy("seq").limit(BATCH).execute();
        for (const row of pending) {
          row.seq = Number(row.seq);
          row.position = frontier.size + 1;
          row.prev_hash = hash;
          row.hash = eventHash(row);
          hash = row.hash;
          extendFrontier(frontier, auditLeaf(row.hash));
        }
        await engine.placeAuditEvents(tx, pending);
        placed += pending.length;
        if (pending.length < BATCH) break;
      }
      if (frontier.size === 0) return 0;
      const last = await tx.selectFrom("audit_checkpoints").select("seq").where("note", "is not", null).orderBy("seq", "desc").limit(1).executeTakeFirst();
      if (!last || Number(last.seq) < frontier.size) await writeCheckpoint(tx, frontier, hash, at);
      return placed;
    },

    onAppendTimed: null,
  };
  return log;
}
