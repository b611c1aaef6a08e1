// Entry of every worker thread (thread-pool.ts). A worker starts without the main thread's tsx hooks
// (bin/custodia.mjs, or Vitest's own), so it registers tsx before loading its TypeScript module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
