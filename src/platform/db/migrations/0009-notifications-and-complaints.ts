import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0009: notification channels (in-app, email outbox, signed webhooks with a delivery queue),
 * complaints (CMP-1), accountability records (GOV-5), post-incident reviews, corrective actions
 * and drills (INC-5). Contact details, complaint texts, webhook secrets and queued emails are
 * sealed by the vault; everything else is ids, codes and dates.
 */
// Days to answer a complaint, per category: firm defaults (no statute fixes them), editable data.
const COMPLAINT_CATEGORIES: [string, number][] = [
  ["data_handling", 15],
  ["request_handling", 15],
  ["disclosure", 10],
  ["security", 10],
  ["service", 30],
  ["other", 30],
];

export const name = "0009_notifications_and_complaints";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("webhooks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("url", "text", (c) => c.notNull())
      .addColumn("secret_ct", "text", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // A subscription names exactly one recipient: a staff user (in-app, optionally email) or a webhook.
    await db.schema
      .createTable("notification_subscriptions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("event_kind", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.references("users.id"))
      .addColumn("webhook_id", "text", (c) => c.references("webhooks.id"))
      .addColumn("email", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("notification_subscriptions_kind").on("notification_subscriptions").column("event_kind").execute();
    await db.schema
      .createTable("notifications")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("event_kind", "text", (c) => c.notNull())
      .addColumn("payload", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("read_at", "text")
      .execute();
    await db.schema.createIndex("notifications_user").on("notifications").columns(["user_id", "created_at"]).execute();
    await db.schema
      .createTable("webhook_deliveries")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("webhook_id", "text", (c) => c.notNull().references("webhooks.id"))
      .addColumn("event_kind", "text", (c) => c.notNull())
      .addColumn("body", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("next_attempt_at", "text")
      .addColumn("last_status", "integer")
      .addColumn("last_error", "text")
      .addColumn("delivered_at", "text")
      .addColumn("failed_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("webhook_deliveries_due").on("webhook_deliveries").column("next_attempt_at").execute();
    await db.schema
      .createTable("webhook_attempts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("delivery_id", "text", (c) => c.notNull().references("webhook_deliveries.id"))
      .addColumn("attempt", "integer", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("status", "integer")
      .addColumn("error", "text")
      .addColumn("duration_ms", "integer", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("webhook_attempts_delivery").on("webhook_attempts").columns(["delivery_id", "attempt"]).execute();
    // Recipient and body sealed: a complaint response is personal to the complainant.
    await db.schema
      .createTable("email_outbox")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("to_ct", "text", (c) => c.notNull())
      .addColumn("subject_ct", "text", (c) => c.notNull())
      .addColumn("body_ct", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("attempts", "integer", (c) => c.notNull())
      .addColumn("next_attempt_at", "text")
      .addColumn("last_error", "text")
      .addColumn("sent_at", "text")
      .addColumn("failed_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("email_outbox_due").on("email_outbox").column("next_attempt_at").execute();

    await db.schema
      .createTable("complaint_categories")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("sla_days", "integer", (c) => c.notNull())
      .execute();
    await db
      .insertInto("complaint_categories")
      .values(COMPLAINT_CATEGORIES.map(([code, days]) => ({ code, sla_days: days })))
      .execute();
    await db.schema
      .createTable("complaints")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("description_ct", "text", (c) => c.notNull())
      .addColumn("email_ct", "text")
      .addColumn("phone_ct", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("sla_due_at", "text", (c) => c.notNull())
      .addColumn("incident_id", "text")
      .addColumn("filed_by", "text")
      .addColumn("response_ct", "text")
      .addColumn("responded_at", "text")
      .addColumn("responded_by", "text")
      .addColumn("response_sent", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("closed_at", "text")
      .execute();
    await db.schema.createIndex("complaints_status").on("complaints").columns(["status", "sla_due_at"]).execute();
    await db.schema
      .createTable("complaint_notes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("complaint_id", "text", (c) => c.notNull().references("complaints.id"))
      .addColumn("author_id", "text", (c) => c.notNull())
      .addColumn("note_ct", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("accountability_records")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("rule_code", "text", (c) => c.notNull())
      .addColumn("sanction", "text", (c) => c.notNull())
      .addColumn("decided_on", "text", (c) => c.notNull())
      .addColumn("incident_id", "text")
      .addColumn("report_id", "text")
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("accountability_records_user").on("accountability_records").columns(["user_id", "decided_on"]).execute();

    await db.schema
      .createTable("incident_reviews")
      .addColumn("incident_id", "text", (c) => c.primaryKey().references("incidents.id"))
      .addColumn("root_cause", "text", (c) => c.notNull())
      .addColumn("narrative_ct", "text", (c) => c.notNull())
      .addColumn("lessons", "text", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("corrective_actions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("title", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("due_at", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("implemented_at", "text")
      .addColumn("verified_by", "text")
      .addColumn("closed_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("corrective_actions_incident").on("corrective_actions").column("incident_id").execute();
    await db.schema
      .createTable("drills")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("scenario", "text", (c) => c.notNull())
      .addColumn("held_on", "text", (c) => c.notNull())
      .addColumn("participants", "text", (c) => c.notNull())
      .addColumn("findings", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
});
