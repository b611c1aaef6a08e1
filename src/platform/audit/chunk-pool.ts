import { Worker } from "node:worker_threads";
import type { ChunkReport } from "./chain-chunk.js";
import type { ChunkAnswer, ChunkTask, ChunkThreadData } from "./audit-chunk-thread.js";

/** Worker threads checking chunks of the audit log; each takes the next task when it is free. */
export class ChunkPool {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #waiting: { task: ChunkTask; settle: (answer: ChunkAnswer | Error) => void }[] = [];

  constructor(data: ChunkThreadData, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./audit-chunk-worker.mjs", import.meta.url), { workerData: data });
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  check(task: ChunkTask): Promise<ChunkReport> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        task,
        settle: (answer) => {
          if (answer instanceof Error) reject(answer);
          else if ("report" in answer) resolve(answer.report);
          else reject(new Error(`audit chunk check failed: ${answer.error}`));
        },
      });
      this.#next();
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#all.map((w) => w.terminate()));
  }

  #next(): void {
    while (this.#idle.length > 0 && this.#waiting.length > 0) {
      const worker = this.#idle.pop()!;
      const { task, settle } = this.#waiting.shift()!;
      const done = (answer: ChunkAnswer | Error) => {
        worker.off("message", done).off("error", done).off("exit", stopped);
        settle(answer);
        if (!(answer instanceof Error)) {
          this.#idle.push(worker);
          this.#next();
        }
      };
      const stopped = () => done(new Error("audit chunk worker stopped"));
      worker.on("message", done).on("error", done).on("exit", stopped);
      worker.postMessage(task);
    }
  }
}
