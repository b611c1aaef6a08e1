import { type MigrationResultSet, Migrator } from "kysely";
import type { Engine } from "../../src/platform/db/engine.js";
import { allMigrations } from "../../src/platform/db/migrations/index.js";

/**
 * Migrates a fresh database to the state just before `migration`, whatever the one before it is
 * called, so a test can write rows in the old shape and then run the migration on them.
 */
export function migrateToJustBefore(engine: Engine, migration: string): Promise<MigrationResultSet> {
  const migrations = allMigrations(engine.binaryType);
  const names = Object.keys(migrations).sort();
  const migrator = new Migrator({
    db: engine.db,
    provider: { getMigrations: async () => migrations },
    ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
  });
  return migrator.migrateTo(names[names.indexOf(migration) - 1]!);
}
