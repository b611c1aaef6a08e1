import type { Kysely, Migration } from "kysely";

/**
 * 0030: disclosures (issue #13, APR-2, VEN-3, RET-3): the record of each disclosure (manifest and
 * digests, never the data), one holding per client with its return or deletion status, and the
 * clients' consents to a named recipient (PIPL Art 23, 29).
 */
export const name = "0030_disclosures";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("disclosures")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("requester_id", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("legal_basis", "text", (c) => c.notNull())
      .addColumn("profile_code", "text", (c) => c.notNull())
      .addColumn("profile_version", "integer", (c) => c.notNull())
      .addColumn("reference", "text")
      .addColumn("manifest", "text", (c) => c.notNull())
      .addColumn("json_sha256", "text", (c) => c.notNull())
      .addColumn("csv_sha256", "text")
      .addColumn("sealed_sha256", "text")
      .addColumn("warnings", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("disclosures_by_partner").on("disclosures").columns(["partner_id", "created_at"]).execute();
    await db.schema
      .createTable("disclosure_holdings")
      .addColumn("disclosure_id", "text", (c) => c.notNull().references("disclosures.id"))
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("approval_request_id", "text", (c) => c.notNull())
      .addColumn("grant_id", "text", (c) => c.notNull())
      .addColumn("fields", "text", (c) => c.notNull())
      .addColumn("package_ref", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("return_requested_at", "text")
      .addColumn("return_reason", "text")
      .addColumn("confirmed_at", "text")
      .addColumn("confirmation_reference", "text")
      .addColumn("confirmed_by", "text")
      .addPrimaryKeyConstraint("disclosure_holdings_pk", ["disclosure_id", "client_id"])
      .execute();
    await db.schema.createIndex("disclosure_holdings_by_client").on("disclosure_holdings").column("client_id").execute();
    await db.schema
      .createTable("recipient_consents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("revision", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("ack_kind", "text", (c) => c.notNull())
      .addColumn("ack_reference", "text", (c) => c.notNull())
      .addColumn("given_at", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addUniqueConstraint("recipient_consents_revision", ["client_id", "partner_id", "purpose", "revision"])
      .execute();
  },
});
