/**
 * The audit sequencer (issue #12): requests only insert their events; this loop places them in
 * the log and signs a checkpoint per batch, within about one interval. Every server runs one, but
 * only the holder of the sequencer lock integrates at a time (engine.lockAuditSequencer), so
 * several servers on one PostgreSQL place each event exactly once; the others skip that tick.
 */
import type { Engine } from "../db/engine.js";
import type { AuditLog } from "./audit-log.js";

/** Default interval between batches: events wait at most about this long to be placed and signed. */
export const SEQUENCER_INTERVAL_MS = 1000;

export interface SequencerStats {
  /** Events this server placed. */
  integrated: number;
  batches: number;
  /** How long the oldest event of the last batch had been seen pending here, in ms (an upper bound on the wait is the interval). */
  lastDelayMs: number;
  /** The last failure's error name (never its message, which could quote a value); null after a success. */
  lastError: string | null;
}

export interface AuditSequencer {
  readonly stats: Readonly<SequencerStats>;
  /** Integrates everything committed and pending now, waiting for the lock if another server holds it. */
  flush(): Promise<number>;
  /** Stops the loop; with `flush`, places what is still pending first (a CLI's own events). */
  stop(options?: { flush?: boolean }): Promise<void>;
}

export function startAuditSequencer(engine: Engine, auditLog: AuditLog, intervalMs = SEQUENCER_INTERVAL_MS): AuditSequencer {
  const stats: SequencerStats = { integrated: 0, batches: 0, lastDelayMs: 0, lastError: null };
  let running: Promise<number> | null = null;
  let firstSeenPending: number | null = null;
  let stopped = false;

  const hasPending = async () =>
    (await engine.db.selectFrom("audit_events").select("seq").where("position", "is", null).limit(1).executeTakeFirst()) !== undefined;

  async function batch(wait: boolean): Promise<number> {
    if (!(await hasPending())) {
      firstSeenPending = null;
      return 0;
    }
    firstSeenPending ??= Date.now();
    const placed = await engine.db.transaction().execute((tx) => auditLog.integrate(tx, { wait }));
    if (placed > 0) {
      stats.integrated += placed;
      stats.batches++;
      stats.lastDelayMs = Date.now() - firstSeenPending;
      firstSeenPending = null;
    }
    stats.lastError = null;
    return placed;
  }

  /** One batch at a time in this process; a flush waits for the running one, then runs its own and reports its failure. */
  const run = (wait: boolean): Promise<number> => {
    const previous = running ?? Promise.resolve(0);
    const next = previous
      .catch(() => 0)
      .then(() => batch(wait))
      .catch((error: unknown) => {
        stats.lastError = error instanceof Error ? error.name : "error";
        if (wait) throw error;
        return 0;
      });
    running = next;
    next.then(
      () => (running === next ? (running = null) : null),
      () => (running === next ? (running = null) : null),
    );
    return next;
  };

  const timer = setInterval(() => {
    if (!stopped && running === null) void run(false);
  }, intervalMs);
  timer.unref();

  return {
    stats,
    flush: () => run(true),
    async stop({ flush = false } = {}) {
      stopped = true;
      clearInterval(timer);
      await (running ?? Promise.resolve(0)).catch(() => 0);
      if (flush) await run(true).catch(() => 0);
    },
  };
}
