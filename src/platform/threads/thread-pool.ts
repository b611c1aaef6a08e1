import { parentPort, Worker, workerData } from "node:worker_threads";

/** Every worker thread's entry: registers tsx, then loads `workerData.module` (its `data` beside it). */
export const THREAD_ENTRY = new URL("./thread-entry.mjs", import.meta.url);

/** Asks a thread to finish: it runs its `onClose` (zeroing what it holds), then ends. */
const CLOSE = "custodia:close-thread";
/** How long a thread asked to finish may take before it is terminated. */
const CLOSE_GRACE_MS = 5_000;

/** What a thread answers a task: its value, or the code of what went wrong (never a message that could quote data). */
type Answer<V> = { readonly value: V } | { readonly error: string };

/**
 * Worker threads running one module (`module`, which calls serveTasks); each takes the next task
 * when it is free. `data` is cloned to every thread when it starts.
 */
export class ThreadPool<T, V> {
  readonly #idle: Worker[] = [];
  readonly #all: Worker[] = [];
  readonly #exited = new Set<Worker>();
  readonly #waiting: { task: T; settle: (answer: Answer<V> | Error) => void }[] = [];

  constructor(module: URL, data: unknown, threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(THREAD_ENTRY, { workerData: { module: module.href, data } });
      worker.once("exit", () => {
        this.#exited.add(worker);
        const idle = this.#idle.indexOf(worker);
        if (idle >= 0) this.#idle.splice(idle, 1);
        this.#abandonIfNoThreads();
      });
      this.#all.push(worker);
      this.#idle.push(worker);
    }
  }

  run(task: T): Promise<V> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({
        task,
        settle: (answer) => {
          if (answer instanceof Error) reject(answer);
          else if ("value" in answer) resolve(answer.value);
          else reject(new Error(`worker thread task failed: ${answer.error}`));
        },
      });
      this.#next();
      this.#abandonIfNoThreads();
    });
  }

  /** With every thread gone, nothing would ever answer what waits: it fails instead of hanging. */
  #abandonIfNoThreads(): void {
    if (this.#exited.size < this.#all.length) return;
    for (const { settle } of this.#waiting.splice(0)) settle(new Error("worker thread stopped"));
  }

  /**
   * Asks every thread to finish once its current task is done, and waits until they have ended.
   * Asked rather than terminated: a terminated thread's memory is freed with its keys still in it.
   */
  async close(): Promise<void> {
    const ending = this.#all
      .filter((worker) => !this.#exited.has(worker))
      .map(
        (worker) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
            worker.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            worker.postMessage(CLOSE);
          }),
      );
    await Promise.all(ending);
  }

  #next(): void {
    while (this.#idle.length > 0 && this.#waiting.length > 0) {
      const worker = this.#idle.pop()!;
      const { task, settle } = this.#waiting.shift()!;
      const done = (answer: Answer<V> | Error) => {
        worker.off("message", done).off("error", failed).off("exit", stopped);
        settle(answer);
        if (!(answer instanceof Error)) {
          this.#idle.push(worker);
          this.#next();
        }
      };
      const stopped = () => done(new Error("worker thread stopped"));
      // What a thread throws may not be an Error of this realm (a driver's own class): it is never an answer.
      const failed = (error: unknown) => done(error instanceof Error ? error : new Error("worker thread failed"));
      worker.on("message", done).on("error", failed).on("exit", stopped);
      worker.postMessage(task);
    }
  }
}

/** The `data` the pool gave this thread. */
export const threadData = <D>(): D => (workerData as { data: D }).data;

/**
 * In a pool's thread: answers every task with `handle`'s value, or the error's code or name. When
 * the pool closes, `onClose` runs (a thread holding keys zeroes them there) and the thread ends.
 */
export function serveTasks<T, V>(handle: (task: T) => V | Promise<V>, onClose?: () => void): void {
  parentPort?.on("message", async (task: T | typeof CLOSE) => {
    if (task === CLOSE) {
      onClose?.();
      parentPort?.close();
      return;
    }
    let answer: Answer<V>;
    try {
      answer = { value: await handle(task) };
    } catch (error) {
      answer = { error: String((error as { code?: unknown }).code ?? (error as Error).name ?? "error") };
    }
    parentPort?.postMessage(answer);
  });
}
