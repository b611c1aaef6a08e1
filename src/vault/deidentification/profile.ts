/**
 * De-identification profiles as data (VEN-3): for each client field, what leaves the firm and in
 * what form. Fields a profile does not name are omitted: a profile is an allow-list, so a field
 * added to the client record later never leaks through an old profile.
 */
import { z } from "zod";

/** The client fields a profile can name: the record's fields plus the client id (for pseudonyms). */
export const PROFILE_FIELDS = ["clientId", "kind", "name", "idType", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export const RULE_KINDS = ["omit", "keep", "mask", "generalise", "pseudonym"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const GENERALISATIONS = ["birth_year", "birth_decade", "age_band", "city", "province", "region_from_id", "gender_from_id", "id_type_only"] as const;
export type Generalisation = (typeof GENERALISATIONS)[number];

/** Which generalisations make sense for which field; anything else is refused when a profile is saved. */
export const GENERALISATIONS_BY_FIELD: Readonly<Partial<Record<ProfileField, readonly Generalisation[]>>> = Object.freeze({
  birthDate: ["birth_year", "birth_decade", "age_band"],
  address: ["city", "province"],
  idNumber: ["id_type_only", "region_from_id", "gender_from_id", "birth_year", "birth_decade", "age_band"],
});

/** Fields the console's masking knows (src/records/clients/masking.ts). */
export const MASKABLE_FIELDS: readonly ProfileField[] = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"];

/**
 * Fields whose value, kept in full, identifies a person (or, for the client id, links this
 * disclosure to every other one): a profile keeping any of them must say `identifying: true`.
 */
export const IDENTIFYING_WHEN_KEPT: readonly ProfileField[] = ["clientId", "name", "idNumber", "phone", "email", "address", "birthDate", "notes"];

export const FieldRuleSchema = z.discriminatedUnion("rule", [
  z.strictObject({ rule: z.literal("omit") }),
  z.strictObject({ rule: z.literal("keep") }),
  z.strictObject({ rule: z.literal("mask") }),
  z.strictObject({ rule: z.literal("generalise"), method: z.enum(GENERALISATIONS) }),
  z.strictObject({ rule: z.literal("pseudonym") }),
]);
export type FieldRule = z.infer<typeof FieldRuleSchema>;

const CONTROLS = /[\u0000-\u001f\u007f]/;
const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROLS.test(s), { message: "Control characters are not allowed here.", params: { code: "control_character" } });

export const PROFILE_CODE = /^[a-z][a-z0-9_]{1,39}$/;

export const ProfileBodySchema = z.strictObject({
  nameZh: label(80),
  nameEn: label(80),
  descriptionZh: label(500),
  descriptionEn: label(500),
  /** Acknowledges that the profile sends data that identifies a person (a court filing). */
  identifying: z.boolean(),
  /** ENC-5: the package is sealed (AES-256-GCM, one-time key given out of band) before it leaves. */
  sealed: z.boolean().default(false),
  fields: z.partialRecord(z.enum(PROFILE_FIELDS), FieldRuleSchema),
});

/** Why a profile is refused, by field: stable codes, never values. */
export function profileIssues(body: Pick<DeidentificationProfileBody, "identifying" | "fields">): { field: string; code: string; message: string }[] {
  const issues: { field: string; code: string; message: string }[] = [];
  for (const [field, rule] of Object.entries(body.fields) as [ProfileField, FieldRule][]) {
    const at = `fields.${field}`;
    if (rule.rule === "pseudonym" && field !== "clientId")
      issues.push({ field: at, code: "pseudonym_client_id_only", message: "Only the client id can be replaced by a pseudonym." });
    if (rule.rule === "mask" && !MASKABLE_FIELDS.includes(field)) issues.push({ field: at, code: "not_maskable", message: "This field has no masked form." });
    if (rule.rule === "generalise" && !GENERALISATIONS_BY_FIELD[field]?.includes(rule.method))
      issues.push({ field: at, code: "generalisation_not_applicable", message: "This generalisation does not apply to this field." });
  }
  if (!body.identifying && identifyingFields(body).length > 0)
    issues.push({ field: "identifying", code: "identifying_not_acknowledged", message: "The profile keeps identifying fields in full: mark it identifying." });
  if (!Object.values(body.fields).some((r) => r && r.rule !== "omit"))
    issues.push({ field: "fields", code: "nothing_disclosed", message: "The profile sends no field." });
  return issues;
}

export const DeidentificationProfileBodySchema = ProfileBodySchema.superRefine((body, ctx) => {
  for (const issue of profileIssues(body)) ctx.addIssue({ code: "custom", path: issue.field.split("."), message: issue.message, params: { code: issue.code } });
});
export type DeidentificationProfileBody = z.infer<typeof ProfileBodySchema>;

/** A stored profile: its body, its code and the version a disclosure records. */
export interface DeidentificationProfile extends DeidentificationProfileBody {
  code: string;
  version: number;
}

/** The fields the profile keeps in full that identify a person (shown as such in the console and manifest). */
export function identifyingFields(body: Pick<DeidentificationProfileBody, "fields">): ProfileField[] {
  return PROFILE_FIELDS.filter((f) => body.fields[f]?.rule === "keep" && IDENTIFYING_WHEN_KEPT.includes(f));
}

/** The fields that leave, in a fixed order (the package's columns). */
export const disclosedFields = (body: Pick<DeidentificationProfileBody, "fields">): ProfileField[] =>
  PROFILE_FIELDS.filter((f) => {
    const rule = body.fields[f];
    return rule !== undefined && rule.rule !== "omit";
  });
