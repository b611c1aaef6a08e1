/**
 * Runs a helper program (tesseract, pdftoppm) on pipes: the document goes in on stdin and the result
 * comes back on stdout, so no plaintext is written to disk. stderr is discarded unread, since the
 * programs may echo what they recognised.
 */
import { spawn } from "node:child_process";
import { RedactionError } from "./errors.js";

export function runPiped(command: string, args: readonly string[], input: Uint8Array | null, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // One OpenMP thread: tesseract's multithreading is slower on small servers and competes with node.
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"], env: { ...process.env, OMP_THREAD_LIMIT: "1" } });
    const chunks: Buffer[] = [];
    let failure: RedactionError | null = null;
    const timer = setTimeout(() => {
      failure ??= new RedactionError("redaction_timeout");
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    // EPIPE when the program exits before reading all input: its exit code tells what happened.
    child.stdin.on("error", () => {});
    child.on("error", (error: NodeJS.ErrnoException) => {
      failure ??= new RedactionError(error.code === "ENOENT" ? "redaction_ocr_unavailable" : "redaction_corrupt");
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (failure !== null) reject(failure);
      else if (code === 0) resolve(Buffer.concat(chunks));
      else reject(new RedactionError("redaction_corrupt"));
    });
    child.stdin.end(input ?? undefined);
  });
}
