import { resolve } from "node:path";

export interface Config {
  readonly dataDir: string;
  /** Unset: embedded SQLite at `<dataDir>/custodia.db`. */
  readonly databaseUrl: string | null;
  readonly masterKeyFile: string;
  /** PostgreSQL schema (tests); null uses the server's search_path. */
  readonly databaseSchema: string | null;
}

export function loadConfig(overrides: { dataDir?: string | undefined } = {}, env = process.env): Config {
  const dataDir = resolve(overrides.dataDir ?? env.CUSTODIA_DATA_DIR ?? "./data");
  return Object.freeze({
    dataDir,
    databaseUrl: env.CUSTODIA_DATABASE_URL || null,
    masterKeyFile: resolve(env.CUSTODIA_MASTER_KEY_FILE ?? `${dataDir}/master.key`),
    databaseSchema: env.CUSTODIA_DATABASE_SCHEMA || null,
  });
}
