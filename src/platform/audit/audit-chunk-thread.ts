/**
 * Runs in a worker thread (audit-chunk-worker.mjs): checks the chunks of the audit log it is sent,
 * over a read-only connection of its own, and answers each with its report.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { ReadOnlyTarget } from "../db/engine.js";
import { checkChunk, type ChunkReport } from "./chain-chunk.js";
import { openChainRows } from "./chain-rows.js";

export interface ChunkThreadData {
  readonly target: ReadOnlyTarget;
  readonly signedAt: readonly (readonly [number, string])[];
  readonly vouched: readonly number[];
}

export interface ChunkTask {
  readonly from: number;
  readonly to: number;
}

/** A report, or the code of what went wrong (never a driver's message: it could quote a value). */
export type ChunkAnswer = { readonly report: ChunkReport } | { readonly error: string };

const data = workerData as ChunkThreadData;
const checks = { signedAt: new Map(data.signedAt), vouched: new Set(data.vouched) };
const rows = await openChainRows(data.target);

parentPort?.on("message", async ({ from, to }: ChunkTask) => {
  let answer: ChunkAnswer;
  try {
    answer = { report: checkChunk(from, to, await rows.between(from, to), checks) };
  } catch (error) {
    answer = { error: String((error as { code?: unknown }).code ?? (error as Error).name ?? "error") };
  }
  parentPort?.postMessage(answer);
});
