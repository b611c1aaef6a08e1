import type { Kysely, Migration } from "kysely";

/**
 * 0029: de-identification profiles (issue #13, VEN-3). A head row per profile and one immutable
 * row per version: a disclosure records the version it used, and that version never changes.
 * Seeds the shipped profiles as version 1. The data is frozen here, as every migration's is;
 * src/vault/deidentification/default-profiles.ts holds the same profiles and a test compares them.
 */
export const name = "0029_deidentification_profiles";

const SEEDED_AT = "2026-01-01T00:00:00.000Z";

const SEED: readonly {
  code: string;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  identifying: boolean;
  sealed: boolean;
  fields: Record<string, { rule: string; method?: string }>;
}[] = [
  {
    code: "court_filing",
    nameZh: "法院/主管机关提交",
    nameEn: "Court or authority filing",
    descriptionZh: "向法院或主管机关提交：保留姓名与完整证件号码（可识别个人）。",
    descriptionEn: "For courts and authorities: name and full identifier number kept (identifies the person).",
    identifying: true,
    sealed: false,
    fields: { kind: { rule: "keep" }, name: { rule: "keep" }, idType: { rule: "keep" }, idNumber: { rule: "keep" }, address: { rule: "keep" } },
  },
  {
    code: "expert_anonymised",
    nameZh: "专家（去标识化）",
    nameEn: "Expert (de-identified)",
    descriptionZh: "向专家提供：化名编号、出生年份、性别（由身份证号推得）、所在省份。",
    descriptionEn: "For experts: a pseudonym, birth year, gender (from the resident ID) and province only.",
    identifying: false,
    sealed: false,
    fields: {
      clientId: { rule: "pseudonym" },
      kind: { rule: "keep" },
      birthDate: { rule: "generalise", method: "birth_year" },
      idNumber: { rule: "generalise", method: "gender_from_id" },
      address: { rule: "generalise", method: "province" },
    },
  },
  {
    code: "translator_minimal",
    nameZh: "翻译（最少必要）",
    nameEn: "Translator (minimum necessary)",
    descriptionZh: "向翻译提供：化名编号与脱敏姓名，其余不提供。",
    descriptionEn: "For translators: a pseudonym and the masked name; nothing else.",
    identifying: false,
    sealed: false,
    fields: { clientId: { rule: "pseudonym" }, kind: { rule: "keep" }, name: { rule: "mask" } },
  },
  {
    code: "masked_ids_birth_year",
    nameZh: "证件号码脱敏、仅出生年份",
    nameEn: "Masked identifier, birth year only",
    descriptionZh: "化名编号、脱敏证件号码与出生年份；不含姓名与联系方式。",
    descriptionEn: "A pseudonym, the masked identifier number and the birth year; no name or contact details.",
    identifying: false,
    sealed: false,
    fields: {
      clientId: { rule: "pseudonym" },
      kind: { rule: "keep" },
      idType: { rule: "keep" },
      idNumber: { rule: "mask" },
      birthDate: { rule: "generalise", method: "birth_year" },
    },
  },
  {
    code: "cloud_encrypted",
    nameZh: "云服务商（整体加密）",
    nameEn: "Cloud provider (encrypted whole)",
    descriptionZh: "向云服务商提供完整记录，离开本所前整体加密（AES-256-GCM），一次性密钥另行交付。",
    descriptionEn: "The whole record for a cloud provider, encrypted before it leaves (AES-256-GCM); the one-time key is handed over separately.",
    identifying: true,
    sealed: true,
    fields: {
      clientId: { rule: "keep" },
      kind: { rule: "keep" },
      name: { rule: "keep" },
      idType: { rule: "keep" },
      idNumber: { rule: "keep" },
      phone: { rule: "keep" },
      email: { rule: "keep" },
      address: { rule: "keep" },
      birthDate: { rule: "keep" },
      notes: { rule: "keep" },
    },
  },
];

export const seededProfiles = SEED;

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("deidentification_profiles")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("current_version", "integer", (c) => c.notNull())
      .addColumn("builtin", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("deidentification_profile_versions")
      .addColumn("code", "text", (c) => c.notNull().references("deidentification_profiles.code"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("description_zh", "text", (c) => c.notNull())
      .addColumn("description_en", "text", (c) => c.notNull())
      .addColumn("rules", "text", (c) => c.notNull())
      .addColumn("identifying", "integer", (c) => c.notNull())
      .addColumn("sealed", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("created_by", "text")
      .addPrimaryKeyConstraint("deidentification_profile_versions_pk", ["code", "version"])
      .execute();
    for (const p of SEED) {
      await db
        .insertInto("deidentification_profiles")
        .values({ code: p.code, current_version: 1, builtin: 1, created_at: SEEDED_AT, updated_at: SEEDED_AT })
        .execute();
      await db
        .insertInto("deidentification_profile_versions")
        .values({
          code: p.code,
          version: 1,
          name_zh: p.nameZh,
          name_en: p.nameEn,
          description_zh: p.descriptionZh,
          description_en: p.descriptionEn,
          rules: JSON.stringify(p.fields),
          identifying: p.identifying ? 1 : 0,
          sealed: p.sealed ? 1 : 0,
          created_at: SEEDED_AT,
          created_by: null,
        })
        .execute();
    }
  },
});
