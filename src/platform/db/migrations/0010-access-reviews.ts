import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0010_access_reviews: recertification campaigns and their snapshot of items (IAM-4). Ids, codes
 * and dates only; the campaign's name is sealed by the vault.
 */
export const name = "0010_access_reviews";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("access_review_campaigns")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name_ct", "text", (c) => c.notNull())
      .addColumn("due_on", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("started_by", "text", (c) => c.notNull())
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("closed_by", "text")
      .addColumn("closed_at", "text")
      .addColumn("close_reason", "text")
      .execute();
    await db.schema.createIndex("access_review_campaigns_status").on("access_review_campaigns").columns(["status", "started_at"]).execute();

    await db.schema
      .createTable("access_review_items")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("campaign_id", "text", (c) => c.notNull().references("access_review_campaigns.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("subject_user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("reviewer_id", "text")
      .addColumn("reviewer_pool", "text", (c) => c.notNull())
      .addColumn("matter_id", "text")
      .addColumn("grant_id", "text")
      .addColumn("client_id", "text")
      .addColumn("access", "text", (c) => c.notNull())
      .addColumn("decision", "text")
      .addColumn("reason_code", "text")
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .addColumn("effect", "text")
      .execute();
    await db.schema.createIndex("access_review_items_campaign").on("access_review_items").columns(["campaign_id", "decision"]).execute();
    await db.schema.createIndex("access_review_items_reviewer").on("access_review_items").columns(["reviewer_id", "decision"]).execute();
    await db.schema.createIndex("access_review_items_pool").on("access_review_items").columns(["reviewer_pool", "decision"]).execute();
  },
});
