import { Worker } from "node:worker_threads";
import { THREAD_ENTRY } from "../threads/thread-pool.js";
import type { Engine } from "../db/engine.js";
import type { VerifyAnswer, VerifyJob } from "./audit-verify-thread.js";
import { verifyAuditChain, type VerifyReport } from "./audit-verifier.js";
import { readCheckpointLog } from "./checkpoint-log.js";

export interface ChainVerification {
  readonly report: VerifyReport;
  /** When the walk started: events appended after it are not covered. */
  readonly verifiedAt: string;
}

/**
 * Verifies the audit chain for the server, one walk at a time: a caller who arrives while a walk
 * runs joins it, and the last result is kept so a caller content with a recent one gets it at
 * once. Six parallel calls therefore cost one walk, not six.
 */
export class AuditChainVerifier {
  #running: Promise<ChainVerification> | null = null;
  #last: ChainVerification | null = null;

  constructor(
    private readonly walk: () => Promise<VerifyReport>,
    private readonly stop: () => Promise<void> = async () => {},
  ) {}

  /** The last result if at most `maxAgeMs` old (0: never), else the walk running, else a new walk. */
  verify(maxAgeMs = 0, now = Date.now()): Promise<ChainVerification> {
    const last = this.#last;
    if (maxAgeMs > 0 && last && now - Date.parse(last.verifiedAt) <= maxAgeMs) return Promise.resolve(last);
    this.#running ??= this.#start();
    return this.#running;
  }

  /** Ends a walk in progress (server shutdown); its callers are refused. */
  close(): Promise<void> {
    return this.stop();
  }

  #start(): Promise<ChainVerification> {
    const verifiedAt = new Date().toISOString();
    return this.walk()
      .then((report) => (this.#last = { report, verifiedAt }))
      .finally(() => {
        this.#running = null;
      });
  }
}

/**
 * One worker thread, started on the first walk and kept (unreferenced, so it never holds the
 * process open) to spare later walks its start-up; started again if it dies.
 */
class VerifyThread {
  #worker: Worker | null = null;

  constructor(private readonly job: VerifyJob) {}

  /** One walk; the verifier never asks for two at once. */
  walk(): Promise<VerifyReport> {
    const worker = this.#start();
    return new Promise((resolve, reject) => {
      const done = () => {
        worker.off("message", onAnswer).off("error", onFailure).off("exit", onFailure);
        worker.unref();
      };
      const onAnswer = (answer: VerifyAnswer) => {
        done();
        if ("report" in answer) resolve(answer.report);
        else reject(new Error(`audit verification failed: ${answer.error}`));
      };
      const onFailure = (error?: unknown) => {
        done();
        this.#worker = null;
        reject(error instanceof Error ? error : new Error("audit verification worker stopped"));
      };
      worker.on("message", onAnswer).on("error", onFailure).on("exit", onFailure);
      worker.ref(); // a walk in progress keeps the process alive until it answers
      worker.postMessage("walk");
    });
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #start(): Worker {
    this.#worker ??= new Worker(THREAD_ENTRY, { workerData: { module: new URL("./audit-verify-thread.ts", import.meta.url).href, data: this.job } });
    return this.#worker;
  }
}

/**
 * The server's verifier: off the event loop where the database can be opened again (a file or
 * a PostgreSQL URL), in-process otherwise (an in-memory database). With `checkpointLog`, the
 * checkpoints kept outside the database are checked too, as `custodia audit verify` does.
 */
export function createAuditChainVerifier(engine: Engine, publicKey: string, checkpointLog: string | null = null): AuditChainVerifier {
  const target = engine.readOnlyTarget;
  if (!target) return new AuditChainVerifier(() => verifyAuditChain(engine.db, publicKey, undefined, checkpointLog ? readCheckpointLog(checkpointLog) : []));
  const thread = new VerifyThread({ target, publicKey, checkpointLog });
  return new AuditChainVerifier(
    () => thread.walk(),
    () => thread.stop(),
  );
}
