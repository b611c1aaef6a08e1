/**
 * Runs a helper program (tesseract, pdftoppm) on pipes: the document goes in on stdin and the result
 * comes back on stdout, so no plaintext is written to disk. stderr is discarded unread, since the
 * programs may echo what they recognised.
 */
import { spawn } from "node:child_process";
import { ExtractionError } from "./errors.js";

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Refuse output beyond this many bytes (a runaway render). */
  maxOutputBytes?: number;
}

/** Resolves with stdout; rejects with ExtractionError (timeout, too_large, corrupt on a non-zero exit) or the signal's reason. */
export function runPiped(command: string, args: readonly string[], input: Uint8Array, options: RunOptions): Promise<Buffer> {
  options.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    // One OpenMP thread: tesseract's multithreading is slower on small servers and competes with node.
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"], env: { ...process.env, OMP_THREAD_LIMIT: "1" } });
    const chunks: Buffer[] = [];
    let size = 0;
    let failure: unknown = null;
    const stop = (error: unknown) => {
      if (failure === null) failure = error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(new ExtractionError("timeout")), options.timeoutMs);
    const onAbort = () => stop(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (options.maxOutputBytes !== undefined && size > options.maxOutputBytes) stop(new ExtractionError("too_large"));
      else chunks.push(chunk);
    });
    // EPIPE when the program exits before reading all input: its exit code tells what happened.
    child.stdin.on("error", () => {});
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (failure === null) failure = error.code === "ENOENT" ? new ExtractionError("ocr_unavailable") : error;
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (failure !== null) reject(failure);
      else if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new ExtractionError("corrupt"));
    });
    child.stdin.end(input);
  });
}
