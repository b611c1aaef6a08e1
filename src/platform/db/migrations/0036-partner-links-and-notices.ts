import type { Kysely, Migration } from "kysely";

/**
 * 0036: the rest of issue #13's partner work. One-time links a partner contact uses to answer the
 * due-diligence questionnaire (only a SHA-256 of the link's secret is kept); assessments say who
 * answered them and whether compliance confirmed them (a partner's own answers count only once
 * confirmed; every earlier assessment was staff-entered, so it stands as confirmed); and what a
 * partner held of the firm's clients when its breach notice opened an incident.
 */
export const name = "0036_partner_links_and_notices";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("partner_questionnaire_links")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("token_id", "text", (c) => c.notNull().unique())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("contact_id", "text", (c) => c.notNull())
      .addColumn("language", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("issued_by", "text", (c) => c.notNull())
      .addColumn("issued_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("emailed", "integer", (c) => c.notNull())
      .addColumn("used_at", "text")
      .addColumn("assessment_id", "text")
      .addColumn("revoked_at", "text")
      .addColumn("revoked_by", "text")
      .execute();
    await db.schema.createIndex("partner_questionnaire_links_by_partner").on("partner_questionnaire_links").columns(["partner_id", "issued_at"]).execute();

    // Existing assessments were entered by staff and count as they are.
    await db.schema
      .alterTable("partner_assessments")
      .addColumn("answered_by", "text", (c) => c.notNull().defaultTo("staff"))
      .execute();
    await db.schema.alterTable("partner_assessments").addColumn("contact_id", "text").execute();
    await db.schema.alterTable("partner_assessments").addColumn("link_id", "text").execute();
    await db.schema
      .alterTable("partner_assessments")
      .addColumn("review_status", "text", (c) => c.notNull().defaultTo("confirmed"))
      .execute();
    await db.schema.alterTable("partner_assessments").addColumn("reviewed_by", "text").execute();
    await db.schema.alterTable("partner_assessments").addColumn("reviewed_at", "text").execute();

    await db.schema
      .createTable("incident_partner_exposures")
      .addColumn("incident_id", "text", (c) => c.notNull())
      .addColumn("partner_id", "text", (c) => c.notNull())
      .addColumn("disclosure_id", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("fields", "text", (c) => c.notNull())
      .addColumn("computed_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("incident_partner_exposures_pk", ["incident_id", "disclosure_id", "client_id"])
      .execute();
    // Which incidents a partner's notices opened (the partner page, and the reverse link).
    await db.schema.createIndex("partner_incidents_by_incident").on("partner_incidents").column("incident_id").execute();
  },
});
