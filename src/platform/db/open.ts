import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config.js";
import { createPostgresEngine } from "./dialects/postgres.js";
import { createSqliteEngine } from "./dialects/sqlite.js";
import type { Engine } from "./engine.js";

export function openEngine(config: Config): Engine {
  const url = config.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) {
    return createPostgresEngine({ url, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
  }
  if (url) throw new Error("CUSTODIA_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)");
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  return createSqliteEngine({ file: join(config.dataDir, "custodia.db") });
}
