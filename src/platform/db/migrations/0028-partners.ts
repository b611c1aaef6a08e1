import type { Kysely, Migration } from "kysely";
import { DEFAULT_QUESTIONNAIRE } from "../../../governance/partners/questionnaire.js";

/**
 * 0028: the partner register (issue #13, VEN-1..4): partners and their sealed contacts, the
 * due-diligence questionnaire (seeded with the default set, then edited as data), assessments,
 * contracts with the PIPL Art 21 checklist, impact assessments, cross-border transfer bases and
 * partner incidents. Dates are text (YYYY-MM-DD), booleans 0/1, lists JSON text: the same on both engines.
 */
export const name = "0028_partners";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("partners")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("pipl_role", "text", (c) => c.notNull())
      .addColumn("jurisdiction", "text", (c) => c.notNull())
      .addColumn("services", "text", (c) => c.notNull())
      .addColumn("data_categories", "text", (c) => c.notNull())
      .addColumn("max_level", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("partner_contacts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("name_ct", "text", (c) => c.notNull())
      .addColumn("email_ct", "text")
      .addColumn("phone_ct", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("partner_contacts_by_partner").on("partner_contacts").column("partner_id").execute();
    await db.schema
      .createTable("partner_questions")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("text_zh", "text", (c) => c.notNull())
      .addColumn("text_en", "text", (c) => c.notNull())
      .addColumn("answer_kind", "text", (c) => c.notNull())
      .addColumn("risk_by_answer", "text", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .execute();
    const now = new Date().toISOString();
    await db
      .insertInto("partner_questions")
      .values(
        DEFAULT_QUESTIONNAIRE.map((q, i) => ({
          code: q.code,
          position: (i + 1) * 10,
          text_zh: q.textZh,
          text_en: q.textEn,
          answer_kind: q.kind,
          risk_by_answer: JSON.stringify(q.riskByAnswer),
          active: 1,
          updated_at: now,
          updated_by: null,
        })),
      )
      .execute();
    await db.schema
      .createTable("partner_assessments")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("assessed_on", "text", (c) => c.notNull())
      .addColumn("assessor_id", "text", (c) => c.notNull())
      .addColumn("answers", "text", (c) => c.notNull())
      .addColumn("risk_level", "text", (c) => c.notNull())
      .addColumn("reasons", "text", (c) => c.notNull())
      .addColumn("reassessment_due_on", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    // The latest assessment of a partner (ids are time-ordered UUIDv7).
    await db.schema.createIndex("partner_assessments_by_partner").on("partner_assessments").columns(["partner_id", "id"]).execute();
    await db.schema
      .createTable("partner_contracts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("version", "text", (c) => c.notNull())
      .addColumn("signed_on", "text", (c) => c.notNull())
      .addColumn("expires_on", "text")
      .addColumn("obligations", "text", (c) => c.notNull())
      .addColumn("document_id", "text")
      .addColumn("terminated_on", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("partner_contracts_by_partner").on("partner_contracts").column("partner_id").execute();
    // Contracts running out (partnersNeedingAttention).
    await db.schema.createIndex("partner_contracts_by_expiry").on("partner_contracts").column("expires_on").execute();
    await db.schema
      .createTable("partner_pias")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("conducted_on", "text", (c) => c.notNull())
      .addColumn("summary_ct", "text", (c) => c.notNull())
      .addColumn("conclusion", "text", (c) => c.notNull())
      .addColumn("keep_until", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("partner_pias_by_partner").on("partner_pias").column("partner_id").execute();
    await db.schema
      .createTable("partner_transfer_bases")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("destination", "text", (c) => c.notNull())
      .addColumn("mechanism", "text", (c) => c.notNull())
      .addColumn("reference", "text", (c) => c.notNull())
      .addColumn("valid_from", "text", (c) => c.notNull())
      .addColumn("valid_until", "text")
      .addColumn("verified", "integer", (c) => c.notNull())
      .addColumn("pia_id", "text", (c) => c.references("partner_pias.id"))
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("partner_transfer_bases_by_partner").on("partner_transfer_bases").column("partner_id").execute();
    await db.schema
      .createTable("partner_incidents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("partner_id", "text", (c) => c.notNull().references("partners.id"))
      .addColumn("occurred_on", "text", (c) => c.notNull())
      .addColumn("description_ct", "text", (c) => c.notNull())
      .addColumn("client_data_involved", "integer", (c) => c.notNull())
      .addColumn("incident_id", "text")
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("partner_incidents_by_partner").on("partner_incidents").column("partner_id").execute();
  },
});
