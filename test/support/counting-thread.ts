/**
 * A pool thread for thread-pool.test.ts: doubles numbers, ends itself on a negative one, and
 * counts in shared memory how many threads ran their close handler.
 */
import { serveTasks, threadData } from "../../src/platform/threads/thread-pool.js";

const closed = new Int32Array(threadData<{ closed: SharedArrayBuffer }>().closed);

serveTasks(
  (n: number) => {
    if (n < 0) process.exit(3);
    return n * 2;
  },
  () => void Atomics.add(closed, 0, 1),
);
