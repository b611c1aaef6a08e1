import type { BinaryType } from "./index.js";
import { sql, type Kysely, type Migration } from "kysely";

/**
 * Incident evidence and client notice sends (INC-4).
 *
 * `incident_evidence`: each file is sealed under a data key of its own, stored here wrapped by a KEK
 * (like a client's data key; older KEKs are kept on rotation, so these stay readable). The filename
 * may name a person, so it is sealed too; media type, size and the SHA-256 of the plaintext (chain
 * of custody) are not personal.
 *
 * `incident_notice_sends`: one row per client per send: the masked contact is sealed with the
 * client's data key (erasing the client shreds it); the message id is the email_outbox row.
 */
// Recorded as "0011_incidents_evidence_and_notice_sends" in databases migrated before the migrations got one file each: the name stays.
export const name = "0011_incidents_evidence_and_notice_sends";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("incident_evidence")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("dek_version", "integer", (c) => c.notNull())
      .addColumn("kek_version", "integer", (c) => c.notNull().references("key_versions.version"))
      .addColumn("wrapped_key", sql.raw(bin), (c) => c.notNull())
      .addColumn("content_ct", sql.raw(bin), (c) => c.notNull())
      .addColumn("filename_ct", sql.raw(bin), (c) => c.notNull())
      .addColumn("media_type", "text", (c) => c.notNull())
      .addColumn("size_bytes", "integer", (c) => c.notNull())
      .addColumn("sha256", "text", (c) => c.notNull())
      .addColumn("uploaded_by", "text", (c) => c.notNull().references("users.id"))
      .addColumn("uploaded_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("incident_evidence_incident").on("incident_evidence").columns(["incident_id", "uploaded_at"]).execute();

    await db.schema
      .createTable("incident_notice_sends")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("incident_id", "text", (c) => c.notNull().references("incidents.id"))
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("contact_masked_ct", sql.raw(bin))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("message_id", "text")
      .addColumn("sent_by", "text", (c) => c.notNull())
      .addColumn("sent_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("incident_notice_sends_incident").on("incident_notice_sends").columns(["incident_id", "sent_at"]).execute();
  },
});
