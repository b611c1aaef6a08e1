// Entry of a chain-checking worker thread. A worker starts without the main thread's tsx hooks
// (bin/custodia.mjs, or Vitest's own), so it registers tsx before loading the TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./audit-chunk-thread.ts");
