import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { type Config, ConfigError } from "../config.js";
import { createPostgresEngine } from "./dialects/postgres.js";
import { createSqliteEngine } from "./dialects/sqlite.js";
import type { Engine } from "./engine.js";

const POSTGRES_URL = /^postgres(ql)?:\/\//;

export const sqliteFile = (config: Config) => join(config.dataDir, "custodia.db");

function postgresUrl(config: Config): string | null {
  const url = config.databaseUrl;
  if (url && !POSTGRES_URL.test(url)) throw new ConfigError("CUSTODIA_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite).");
  return url;
}

export function openEngine(config: Config): Engine {
  const url = postgresUrl(config);
  if (url) {
    const engine = createPostgresEngine({ url, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
    return { ...engine, readOnlyTarget: { kind: "postgres", url, schema: config.databaseSchema } };
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const file = sqliteFile(config);
  return { ...createSqliteEngine({ file }), readOnlyTarget: { kind: "sqlite", file } };
}

/** What is already there, found without creating anything. */
export interface DatabaseState {
  readonly description: string;
  /** SQLite: the file exists; PostgreSQL: Custodia's tables exist. */
  readonly exists: boolean;
  /** Key-encryption keys were created, so data may be wrapped by the current master key. */
  readonly keyed: boolean;
}

/**
 * Looks at the database before a command opens it: never creates the SQLite file, and checks its
 * pages (`PRAGMA quick_check`), so a corrupt file is refused at start instead of failing mid-work.
 */
export async function inspectDatabase(config: Config): Promise<DatabaseState> {
  const url = postgresUrl(config);
  if (url) {
    const engine = createPostgresEngine({ url, poolSize: 1, ...(config.databaseSchema ? { schema: config.databaseSchema } : {}) });
    try {
      const found = await sql<{ present: boolean }>`select to_regclass('key_versions') is not null as present`.execute(engine.db);
      if (!found.rows[0]?.present) return { description: engine.description, exists: false, keyed: false };
      const keys = await engine.db.selectFrom("key_versions").select("version").limit(1).execute();
      return { description: engine.description, exists: true, keyed: keys.length > 0 };
    } finally {
      await engine.destroy();
    }
  }
  const file = sqliteFile(config);
  if (!existsSync(file)) return { description: file, exists: false, keyed: false };
  // Read-write but without any write: on close SQLite removes the -wal and -shm files it opened,
  // which a read-only connection would leave behind.
  let db: SQLite.Database | null = null;
  try {
    db = new SQLite(file, { fileMustExist: true });
    const problems = (db.pragma("quick_check") as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== "ok");
    if (problems.length) throw new ConfigError(`The database ${file} is corrupt (quick_check: ${problems[0]}); restore it from a backup.`);
    const hasKeys = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'key_versions'").get() !== undefined;
    const keyed = hasKeys && db.prepare("select 1 from key_versions limit 1").get() !== undefined;
    return { description: file, exists: true, keyed };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as { code?: string }).code ?? "error";
    throw new ConfigError(`The database ${file} cannot be read as SQLite (${reason}); it is corrupt or not a Custodia database.`);
  } finally {
    db?.close();
  }
}
