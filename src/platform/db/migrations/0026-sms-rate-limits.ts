import type { Kysely, Migration } from "kysely";

/**
 * 0026: per-number SMS rate limits (issue #16), shared by every server. A row is keyed by a vault
 * MAC of the phone number, never the number: the table tells nobody whom the firm texts.
 */
export const name = "0026_sms_rate_limits";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("sms_rate_limits")
      .addColumn("number_mac", "text", (c) => c.primaryKey())
      .addColumn("last_sent_at", "text", (c) => c.notNull())
      .addColumn("window_start", "text", (c) => c.notNull())
      .addColumn("window_count", "integer", (c) => c.notNull())
      .execute();
    // The sweep deletes rows whose window has ended.
    await db.schema.createIndex("sms_rate_limits_window").on("sms_rate_limits").column("window_start").execute();
  },
});
