import { describe, expect, it } from "vitest";
import { ExtractionError } from "./errors.js";
import { runPiped } from "./process.js";

const reason = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof ExtractionError ? e.reason : e),
  );

describe("runPiped", () => {
  it("pipes the input through and returns stdout", async () => {
    const input = Buffer.from("张三 13800138000\n".repeat(10_000));
    expect((await runPiped("cat", [], input, { timeoutMs: 10_000 })).equals(input)).toBe(true);
  });

  it("maps a missing program, a failed run, runaway output and a slow run to reasons", async () => {
    expect(await reason(runPiped("custodia-no-such-program", [], Buffer.from("x"), { timeoutMs: 10_000 }))).toBe("ocr_unavailable");
    expect(await reason(runPiped("false", [], Buffer.from("x"), { timeoutMs: 10_000 }))).toBe("corrupt");
    expect(await reason(runPiped("cat", [], Buffer.alloc(1 << 20), { timeoutMs: 10_000, maxOutputBytes: 1000 }))).toBe("too_large");
    expect(await reason(runPiped("sleep", ["5"], Buffer.alloc(0), { timeoutMs: 50 }))).toBe("timeout");
  });

  it("stops the program when the signal aborts", async () => {
    const controller = new AbortController();
    const started = Date.now();
    const run = runPiped("sleep", ["5"], Buffer.alloc(0), { timeoutMs: 10_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("cancelled")), 50);
    await expect(run).rejects.toThrow("cancelled");
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
