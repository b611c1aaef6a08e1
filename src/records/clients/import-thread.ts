/**
 * Runs in a worker thread (platform/threads) during a bulk import: checks and seals each batch it
 * is sent (import-sealing.ts) with the sealing keys it was started with. It never sees the
 * database, the root secret or the master key.
 */
import { serveTasks, threadData } from "../../platform/threads/thread-pool.js";
import { SealingVault, type SealingKeys } from "../../vault/vault.js";
import type { ClientData } from "./client.js";
import { prepareBatch, type PreparedBatch } from "./import-sealing.js";

export interface ImportThreadData {
  readonly keys: SealingKeys;
  readonly purposes: readonly string[];
}

export interface ImportTask {
  readonly batch: readonly ClientData[];
  readonly now: string;
}

const data = threadData<ImportThreadData>();
const vault = new SealingVault(data.keys);
const purposes = new Set(data.purposes);

serveTasks(
  ({ batch, now }: ImportTask): PreparedBatch => prepareBatch(vault, purposes, batch, now),
  // The vault holds the very bytes this thread received: zeroed before the thread ends.
  () => vault.destroy(),
);
