/**
 * Runs in a worker thread (platform/threads): on each request, walks the audit chain over
 * a read-only connection of its own and posts the report, so hashing a long log never blocks
 * the server's event loop.
 */
import { parentPort } from "node:worker_threads";
import { threadData } from "../threads/thread-pool.js";
import type { ReadOnlyTarget } from "../db/engine.js";
import { openReadOnly } from "../db/read-only.js";
import { verifyAuditChain, type VerifyReport } from "./audit-verifier.js";
import { readCheckpointLog } from "./checkpoint-log.js";

export interface VerifyJob {
  readonly target: ReadOnlyTarget;
  /** The checkpoint key the server trusts (from its vault), never one read from the log. */
  readonly publicKey: string;
  /** The checkpoint log outside the database, read afresh per walk: it catches a deleted tail. */
  readonly checkpointLog: string | null;
}

/** A report, or the code of what went wrong (never a driver's message: it could quote a value). */
export type VerifyAnswer = { readonly report: VerifyReport } | { readonly error: string };

const job = threadData<VerifyJob>();

async function walk(): Promise<VerifyAnswer> {
  try {
    // Opened per walk and closed after: an idle worker holds no connection.
    const db = openReadOnly(job.target);
    try {
      const outside = job.checkpointLog ? readCheckpointLog(job.checkpointLog) : [];
      return { report: await verifyAuditChain(db, job.publicKey, undefined, outside) };
    } finally {
      await db.destroy();
    }
  } catch (error) {
    return { error: String((error as { code?: unknown }).code ?? (error as Error).name ?? "error") };
  }
}

parentPort?.on("message", async () => parentPort?.postMessage(await walk()));
