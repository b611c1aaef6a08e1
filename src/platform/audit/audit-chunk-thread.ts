/**
 * Runs in a worker thread (platform/threads): checks the chunks of the audit log it is sent,
 * over a read-only connection of its own, and answers each with its report.
 */
import type { ReadOnlyTarget } from "../db/engine.js";
import { serveTasks, threadData } from "../threads/thread-pool.js";
import { checkChunk } from "./chain-chunk.js";
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

const data = threadData<ChunkThreadData>();
const checks = { signedAt: new Map(data.signedAt), vouched: new Set(data.vouched) };
const rows = await openChainRows(data.target);

serveTasks(async ({ from, to }: ChunkTask) => checkChunk(from, to, await rows.between(from, to), checks));
