/**
 * Reading stored de-identification profiles. A version row never changes once written, so a
 * disclosure that names (code, version) can always be shown the exact rules it was made with.
 */
import type { Tx } from "../../platform/db/engine.js";
import type { DbDeidentificationProfile, DbDeidentificationProfileVersion } from "../../platform/db/schema.js";
import { IntegrityError } from "../../platform/errors.js";
import { type DeidentificationProfile, ProfileBodySchema, type ProfileField, identifyingFields } from "../../vault/deidentification/profile.js";

export interface StoredProfile extends DeidentificationProfile {
  builtin: boolean;
  /** Fields kept in full that identify a person: shown as such wherever the profile is. */
  identifyingFields: ProfileField[];
  createdAt: string;
  updatedAt: string;
  /** Who wrote this version; null for a shipped profile's seeded version. */
  versionCreatedBy: string | null;
  versionCreatedAt: string;
}

const rulesSchema = ProfileBodySchema.shape.fields;

export function presentProfile(head: DbDeidentificationProfile, row: DbDeidentificationProfileVersion): StoredProfile {
  const parsed = rulesSchema.safeParse(JSON.parse(row.rules));
  // Rows are written only after validation; anything else was changed outside Custodia.
  if (!parsed.success) throw IntegrityError();
  const profile: DeidentificationProfile = {
    code: row.code,
    version: row.version,
    nameZh: row.name_zh,
    nameEn: row.name_en,
    descriptionZh: row.description_zh,
    descriptionEn: row.description_en,
    identifying: row.identifying === 1,
    sealed: row.sealed === 1,
    fields: parsed.data,
  };
  return {
    ...profile,
    builtin: head.builtin === 1,
    identifyingFields: identifyingFields(profile),
    createdAt: head.created_at,
    updatedAt: head.updated_at,
    versionCreatedBy: row.created_by,
    versionCreatedAt: row.created_at,
  };
}

/** The profile in force, or the given version of it: what the disclosure action applies and records. */
export async function findProfile(tx: Tx, code: string, version?: number): Promise<StoredProfile | null> {
  const head = await tx.selectFrom("deidentification_profiles").selectAll().where("code", "=", code).executeTakeFirst();
  if (!head) return null;
  const row = await tx
    .selectFrom("deidentification_profile_versions")
    .selectAll()
    .where("code", "=", code)
    .where("version", "=", version ?? head.current_version)
    .executeTakeFirst();
  return row ? presentProfile(head, row) : null;
}

/** Every profile in force, by code. */
export async function currentProfiles(tx: Tx): Promise<StoredProfile[]> {
  const rows = await tx
    .selectFrom("deidentification_profiles as p")
    .innerJoin("deidentification_profile_versions as v", (j) => j.onRef("v.code", "=", "p.code").onRef("v.version", "=", "p.current_version"))
    .selectAll("v")
    .select(["p.current_version", "p.builtin", "p.created_at as head_created_at", "p.updated_at as head_updated_at"])
    .orderBy("p.code")
    .execute();
  return rows.map((r) =>
    presentProfile({ code: r.code, current_version: r.current_version, builtin: r.builtin, created_at: r.head_created_at, updated_at: r.head_updated_at }, r),
  );
}

/** A profile's versions, newest first (what changed when, and by whom). */
export const profileVersions = (tx: Tx, code: string) =>
  tx
    .selectFrom("deidentification_profile_versions")
    .select(["version", "created_at as createdAt", "created_by as createdBy"])
    .where("code", "=", code)
    .orderBy("version", "desc")
    .execute();
