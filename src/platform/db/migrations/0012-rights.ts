import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0010 (rights): the end of a restriction of processing, editable deadline regimes and request
 * reminders (issue #4). A restriction now keeps the purposes that were in force when it began, so
 * lifting it restores them; each lift is kept in `processing_restriction_lifts` (codes and ids
 * only). `reminded_for` / `overdue_noticed_for` hold the deadline a notice was sent for, so each
 * is sent once per deadline, by however many servers and cron jobs.
 */
// Recorded as "0010_rights_restriction_lifts_regimes_reminders" in databases migrated before the migrations got one file each: the name stays.
export const name = "0010_rights_restriction_lifts_regimes_reminders";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    // JSON array of purpose codes; null for restrictions recorded before this migration.
    await db.schema.alterTable("processing_restrictions").addColumn("previous_purposes", "text").execute();

    await db.schema
      .createTable("processing_restriction_lifts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("request_id", "text")
      .addColumn("restricted_at", "text", (c) => c.notNull())
      .addColumn("restricted_by", "text", (c) => c.notNull())
      .addColumn("restored_purposes", "text", (c) => c.notNull())
      // A reason code and, optionally, a form or case reference: never free text.
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("reference", "text")
      .addColumn("lifted_at", "text", (c) => c.notNull())
      .addColumn("lifted_by", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("processing_restriction_lifts_client").on("processing_restriction_lifts").columns(["client_id", "lifted_at"]).execute();

    await db.schema.alterTable("client_requests").addColumn("reminded_for", "text").execute();
    await db.schema.alterTable("client_requests").addColumn("overdue_noticed_for", "text").execute();

    await db.schema.alterTable("request_regimes").addColumn("updated_at", "text").execute();
    await db.schema.alterTable("request_regimes").addColumn("updated_by", "text").execute();
  },
});
