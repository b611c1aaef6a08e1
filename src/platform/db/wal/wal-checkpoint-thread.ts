/**
 * Runs in a worker thread (platform/threads): copies the SQLite WAL back into the database file,
 * on a connection of its own, each time it is asked (wal-checkpointer.ts).
 */
import SQLite from "better-sqlite3";
import { serveTasks, threadData } from "../../threads/thread-pool.js";

export interface CheckpointThreadData {
  readonly file: string;
}

/** What one checkpoint did, in WAL frames (SQLite's own counts). */
export interface CheckpointReport {
  /** Frames in the WAL when it ran. */
  readonly walFrames: number;
  /** Of those, frames now in the database file. */
  readonly copiedFrames: number;
}

const sqlite = new SQLite(threadData<CheckpointThreadData>().file, { fileMustExist: true });
sqlite.pragma("busy_timeout = 5000");
// Checkpoints here run only when asked (automatic ones follow a commit, and this connection writes none).
sqlite.pragma("wal_autocheckpoint = 0");

serveTasks(
  (): CheckpointReport => {
    // PASSIVE: copies what no reader still needs, never waits for the writer or blocks it.
    const [row] = sqlite.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    return { walFrames: row?.log ?? 0, copiedFrames: row?.checkpointed ?? 0 };
  },
  () => sqlite.close(),
);
