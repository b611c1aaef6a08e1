import { describe, expect, it } from "vitest";
import { ThreadPool } from "./thread-pool.js";

const COUNTING_THREAD = new URL("../../../test/support/counting-thread.ts", import.meta.url);
const FAILING_THREAD = new URL("../../../test/support/failing-thread.ts", import.meta.url);

describe("thread pool", () => {
  it("closing asks every thread to finish, so each runs its close handler (where a sealing thread zeroes its keys)", async () => {
    const closed = new SharedArrayBuffer(4);
    const pool = new ThreadPool<number, number>(COUNTING_THREAD, { closed }, 2);
    expect(await Promise.all([1, 2, 3, 4].map((n) => pool.run(n)))).toEqual([2, 4, 6, 8]);
    await pool.close();
    expect(new Int32Array(closed)[0]).toBe(2);
  });

  it("a thread that ended on its own does not keep closing waiting", async () => {
    const closed = new SharedArrayBuffer(4);
    const pool = new ThreadPool<number, number>(COUNTING_THREAD, { closed }, 2);
    await expect(pool.run(-1)).rejects.toThrow(/worker thread stopped/);
    expect(await pool.run(5)).toBe(10);
    await pool.close();
    // The thread still running ran its handler; the one that had exited was not waited for.
    expect(new Int32Array(closed)[0]).toBe(1);
  });

  it("once every thread has died, later tasks fail instead of waiting forever", async () => {
    const closed = new SharedArrayBuffer(4);
    const pool = new ThreadPool<number, number>(COUNTING_THREAD, { closed }, 1);
    await expect(pool.run(-1)).rejects.toThrow(/worker thread stopped/);
    await expect(pool.run(5)).rejects.toThrow(/worker thread stopped/);
    await pool.close();
  });

  it("a thread that fails as it starts fails its task with an Error, and the tasks after it too", async () => {
    const pool = new ThreadPool<number, number>(FAILING_THREAD, {}, 1);
    await expect(pool.run(1)).rejects.toBeInstanceOf(Error);
    await expect(pool.run(2)).rejects.toThrow(/worker thread stopped/);
    await pool.close();
  });
});
