import type { Kysely, Migration } from "kysely";

/**
 * 0033: people and governance (issue #14, CHN-1, GOV-1, GOV-2, GOV-5, TRN-3, CON-4): the register of
 * devices and channels that carry client data, the privacy team, internal policies with versions,
 * attestations and the law-change review log, and investigations, awards and their internal
 * publication. Dates are text (YYYY-MM-DD), instants ISO text, booleans 0/1, lists JSON text: the
 * same on both engines. Free text about people (findings, citations, a loss's circumstances) is sealed.
 */
export const name = "0033_people";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("devices")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull())
      .addColumn("encryption", "text", (c) => c.notNull())
      .addColumn("remote_wipe", "integer", (c) => c.notNull())
      .addColumn("check_interval_days", "integer", (c) => c.notNull())
      .addColumn("last_checked_on", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("lost_on", "text")
      .addColumn("lost_note_ct", "text")
      .addColumn("incident_id", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("devices_by_owner").on("devices").column("owner_id").execute();

    await db.schema
      .createTable("privacy_roles")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("code", "text", (c) => c.notNull())
      .addColumn("holder_id", "text", (c) => c.notNull())
      .addColumn("deputy_ids", "text", (c) => c.notNull())
      .addColumn("duties_zh", "text", (c) => c.notNull())
      .addColumn("duties_en", "text", (c) => c.notNull())
      .addColumn("contact_email", "text")
      .addColumn("contact_phone", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("policies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("code", "text", (c) => c.notNull().unique())
      .addColumn("title_zh", "text", (c) => c.notNull())
      .addColumn("title_en", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull())
      .addColumn("review_months", "integer", (c) => c.notNull())
      .addColumn("next_review_on", "text")
      .addColumn("current_version", "integer")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("policy_versions")
      .addColumn("policy_id", "text", (c) => c.notNull().references("policies.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("text_zh", "text", (c) => c.notNull())
      .addColumn("text_en", "text", (c) => c.notNull())
      .addColumn("change_note", "text", (c) => c.notNull())
      .addColumn("published_on", "text")
      .addColumn("published_by", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("policy_versions_pk", ["policy_id", "version"])
      .execute();
    // One attestation per person and version: attesting twice is a no-op, not a second row.
    await db.schema
      .createTable("policy_attestations")
      .addColumn("policy_id", "text", (c) => c.notNull().references("policies.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("attested_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("policy_attestations_pk", ["policy_id", "version", "user_id"])
      .execute();
    await db.schema.createIndex("policy_attestations_by_user").on("policy_attestations").columns(["user_id", "attested_at"]).execute();
    await db.schema
      .createTable("law_change_reviews")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("reviewed_on", "text", (c) => c.notNull())
      .addColumn("law", "text", (c) => c.notNull())
      .addColumn("summary", "text", (c) => c.notNull())
      .addColumn("affected_policy_ids", "text", (c) => c.notNull())
      .addColumn("decision", "text", (c) => c.notNull())
      .addColumn("reviewer_id", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("accountability_cases")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("subject_id", "text", (c) => c.notNull())
      .addColumn("subject_role", "text", (c) => c.notNull())
      .addColumn("rule_code", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("incident_id", "text")
      .addColumn("report_id", "text")
      .addColumn("findings_ct", "text")
      .addColumn("outcome", "text")
      .addColumn("decided_by", "text")
      .addColumn("decided_on", "text")
      .addColumn("record_id", "text")
      .addColumn("publication_id", "text")
      .addColumn("opened_by", "text", (c) => c.notNull())
      .addColumn("opened_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("accountability_cases_by_subject").on("accountability_cases").column("subject_id").execute();
    await db.schema
      .createTable("staff_awards")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("award_code", "text", (c) => c.notNull())
      .addColumn("period", "text", (c) => c.notNull())
      .addColumn("citation_ct", "text")
      .addColumn("awarded_on", "text", (c) => c.notNull())
      .addColumn("awarded_by", "text", (c) => c.notNull())
      .addColumn("publication_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("accountability_publications")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("published_on", "text", (c) => c.notNull())
      .addColumn("published_by", "text", (c) => c.notNull())
      .addColumn("user_id", "text")
      .addColumn("subject_role", "text")
      .addColumn("rule_code", "text")
      .addColumn("sanction", "text")
      .addColumn("award_code", "text")
      .addColumn("period", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
  },
});
