import { Migrator, type MigrationProvider } from "kysely";
import type { Engine } from "./engine.js";
import { allMigrations, type BinaryType } from "./migrations/index.js";

class OrderedProvider implements MigrationProvider {
  constructor(private readonly bin: BinaryType) {}
  async getMigrations() {
    return allMigrations(this.bin);
  }
}

const INTROSPECTION_RACES = new Set(["3F000", "42P01", "42703"]);

/** Applies pending migrations; Kysely's migrator locks, so concurrent servers are safe. */
export async function migrateToLatest(engine: Engine): Promise<string[]> {
  const migrator = new Migrator({
    db: engine.db,
    provider: new OrderedProvider(engine.binaryType),
    ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    // Kysely's PostgreSQL introspector checks has_schema_privilege() on every schema of the
    // database and reads every table's columns, so another schema or table dropped at that moment
    // fails with 3F000 (invalid_schema_name), 42P01 (undefined_table) or 42703 (undefined_column)
    // although ours is fine. Nothing was migrated yet: try again.
    if (error && INTROSPECTION_RACES.has(String((error as { code?: unknown }).code)) && attempt < 5) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  }
}
