import { afterAll, beforeAll } from "vitest";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { Config } from "../../src/platform/config.js";
import { openServices, type Services } from "../../src/platform/services.js";
import { FileKeyProvider } from "../../src/vault/key-provider.js";

export type Dialect = "sqlite" | "postgres";

export const POSTGRES_URL = process.env.CUSTODIA_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** Set by .ci/run: a missing PostgreSQL is then a failure, not a skip. */
const REQUIRE_POSTGRES = process.env.CUSTODIA_REQUIRE_POSTGRES === "1";

async function postgresAnswers(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const postgresUp = await postgresAnswers();
if (!postgresUp) {
  const message = `PostgreSQL does not answer at ${POSTGRES_URL}`;
  if (REQUIRE_POSTGRES) throw new Error(`${message}, and CUSTODIA_REQUIRE_POSTGRES=1 requires it.`);
  console.warn(`\n*** ${message}: the PostgreSQL half of the integration suite is SKIPPED. ***\n`);
}

/** The engines each integration suite runs against. */
export const DIALECTS: Dialect[] = postgresUp ? ["sqlite", "postgres"] : ["sqlite"];

export interface TestDatabase {
  dialect: Dialect;
  config: Config;
  /** Environment that points the CLI at the same database. */
  env: Record<string, string>;
  /** `sequencerIntervalMs`: a long one leaves placing events to the test (auditLog.integrate). */
  open(options?: { sequencerIntervalMs?: number }): Promise<Services>;
  cleanup(): Promise<void>;
}

/** A fresh, isolated database: a temp directory for SQLite, a new schema on PostgreSQL. */
export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), "custodia-test-"));
  const schema = dialect === "postgres" ? `t_${randomBytes(6).toString("hex")}` : null;
  if (schema) {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const config: Config = Object.freeze({
    dataDir,
    databaseUrl: schema ? POSTGRES_URL : null,
    databaseSchema: schema,
    masterKeyFile: join(dataDir, "master.key"),
    // Both blob stores run the same tests: files on SQLite, chunked rows on PostgreSQL.
    blobStore: schema ? "database" : "file",
  });
  const env: Record<string, string> = {
    CUSTODIA_DATA_DIR: dataDir,
    ...(schema ? { CUSTODIA_DATABASE_URL: POSTGRES_URL, CUSTODIA_DATABASE_SCHEMA: schema, CUSTODIA_BLOB_STORE: "database" } : {}),
  };
  return {
    dialect,
    config,
    env,
    open: (options = {}) => openServices(config, { keyProvider: new FileKeyProvider(config.masterKeyFile), ...options }),
    async cleanup() {
      if (schema) {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        await client.query(`drop schema ${schema} cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Services on a fresh database for one describe block (no HTTP server): opened before its tests,
 * closed and removed after. Read `suite.services` inside tests.
 */
export function servicesSuite(dialect: Dialect): { readonly services: Services } {
  let db: TestDatabase | undefined;
  let services: Services | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    services = await db.open();
  });
  afterAll(async () => {
    await services?.close();
    await db?.cleanup();
  });
  return {
    get services() {
      if (!services) throw new Error("servicesSuite: services are opened in beforeAll");
      return services;
    },
  };
}
