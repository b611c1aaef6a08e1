/**
 * WAL checkpoints off the event loop. By default SQLite checkpoints inside the commit that takes
 * the WAL past 1,000 pages: that commit copies them all into the database file, on the one thread
 * that serves every request, and every request queued behind it waits (a few milliseconds each
 * time, tens of times a minute under load). A server instead checkpoints from a worker thread on
 * its own connection, a few times a second; the request connection keeps a much higher automatic
 * threshold only as a safety net, should that thread ever stop.
 */
import type SQLite from "better-sqlite3";
import { ThreadPool } from "../../threads/thread-pool.js";
import type { CheckpointReport, CheckpointThreadData } from "./wal-checkpoint-thread.js";

/** SQLite's default automatic checkpoint, in pages: what the connection goes back to. */
export const AUTO_CHECKPOINT_PAGES = 1_000;
/** The request connection's threshold while the thread checkpoints: a 32 MiB WAL at 4 KiB pages. */
export const SAFETY_NET_PAGES = 8_000;
export const CHECKPOINT_INTERVAL_MS = 250;

export interface WalCheckpointer {
  /** Checkpoints now, after any checkpoint already running; its report. */
  checkpoint(): Promise<CheckpointReport>;
  /** Stops the timer and the thread, and gives the request connection its own checkpoints back. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(connection: SQLite.Database, file: string, intervalMs = CHECKPOINT_INTERVAL_MS): WalCheckpointer {
  const data: CheckpointThreadData = { file };
  const pool = new ThreadPool<void, CheckpointReport>(new URL("./wal-checkpoint-thread.ts", import.meta.url), data, 1);
  connection.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  let running: Promise<CheckpointReport> | null = null;
  const checkpoint = (): Promise<CheckpointReport> => {
    const next = (running ?? Promise.resolve()).catch(() => {}).then(() => pool.run(undefined));
    running = next;
    const settled = () => {
      if (running === next) running = null;
    };
    next.then(settled, settled);
    return next;
  };
  const timer = setInterval(() => {
    // One at a time; a failed checkpoint is retried on the next tick, and the safety net holds meanwhile.
    if (running === null) checkpoint().catch(() => {});
  }, intervalMs);
  timer.unref();
  return {
    checkpoint,
    async stop() {
      clearInterval(timer);
      // The thread ends after the checkpoint it is running, if any; a checkpoint never started
      // (its thread had died) is not waited for.
      await pool.close();
      if (connection.open) connection.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    },
  };
}
