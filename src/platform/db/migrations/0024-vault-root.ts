import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0024: the vault's root secret, wrapped by the master key, and which master key wraps it and the
 * KEKs (issue #16). Keys derived for blind indexes, MACs, account secrets and checkpoint signing
 * come from the root, so an HSM or transit master key never has to leave its home. One row at
 * most; a file-key vault has none until its first master-key rotation (its root is the key file).
 */
export const name = "0024_vault_root";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("vault_root")
      .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn("wrapped_root", sql.raw(bin), (c) => c.notNull())
      .addColumn("master_ref", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("rotated_at", "text")
      .execute();
  },
});
