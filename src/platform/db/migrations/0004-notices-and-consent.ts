import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0004: privacy notices and consent records (issue #4, CON-1..3). Plain DDL that both engines run
 * unchanged; nothing here holds personal data in clear (ids, codes, hashes and reference numbers).
 */
export const name = "0004_notices_and_consent";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    // Purposes are data: each carries its legal basis (PIPL Art. 13) and whether sensitive fields
    // need a separate consent under it (Art. 29). Existing purposes default to `contract`.
    await db.schema
      .alterTable("purposes")
      .addColumn("legal_basis", "text", (c) => c.notNull().defaultTo("contract"))
      .execute();
    await db.schema
      .alterTable("purposes")
      .addColumn("requires_separate_consent_for_sensitive", "integer", (c) => c.notNull().defaultTo(0))
      .execute();
    await db.updateTable("purposes").set({ legal_basis: "consent", requires_separate_consent_for_sensitive: 1 }).where("code", "=", "marketing").execute();
    await db.updateTable("purposes").set({ legal_basis: "legal_duty" }).where("code", "=", "compliance-audit").execute();

    // A published version is immutable; content_hash is the SHA-256 of what was shown.
    await db.schema
      .createTable("privacy_notices")
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("effective_from", "text", (c) => c.notNull())
      .addColumn("title_zh", "text", (c) => c.notNull())
      .addColumn("title_en", "text", (c) => c.notNull())
      .addColumn("body_zh", "text", (c) => c.notNull())
      .addColumn("body_en", "text", (c) => c.notNull())
      .addColumn("content_hash", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("published_at", "text")
      .addColumn("published_by", "text")
      .execute();

    // Append-only: the current consent for a client and purpose is the highest revision. The
    // unique key also makes two concurrent writers for the same pair collide instead of interleave.
    await db.schema
      .createTable("consent_records")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("purpose", "text", (c) => c.notNull().references("purposes.code"))
      .addColumn("revision", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("separate", "integer", (c) => c.notNull())
      .addColumn("channel", "text", (c) => c.notNull())
      .addColumn("notice_version", "integer", (c) => c.references("privacy_notices.version"))
      .addColumn("notice_hash", "text")
      .addColumn("notice_language", "text")
      .addColumn("ack_kind", "text", (c) => c.notNull())
      .addColumn("ack_reference", "text", (c) => c.notNull())
      .addColumn("given_at", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addUniqueConstraint("consent_records_revision", ["client_id", "purpose", "revision"])
      .execute();
  },
});
