/**
 * Mirrors src/vault/deidentification/profile.ts: which rule fits which field, so the editor offers
 * only those (the API validates again and names any refusal by field).
 */
export const FIELDS = ["clientId", "kind", "name", "idType", "idNumber", "phone", "email", "address", "birthDate", "notes"] as const;
export type Field = (typeof FIELDS)[number];
export const RULES = ["omit", "keep", "mask", "generalise", "pseudonym"] as const;
export type RuleKind = (typeof RULES)[number];
export const METHODS: Partial<Record<Field, readonly string[]>> = {
  birthDate: ["birth_year", "birth_decade", "age_band"],
  address: ["city", "province"],
  idNumber: ["id_type_only", "region_from_id", "gender_from_id", "birth_year", "birth_decade", "age_band"],
};
const MASKABLE: readonly Field[] = ["name", "idNumber", "phone", "email", "address", "birthDate", "notes"];
const IDENTIFYING_WHEN_KEPT: readonly Field[] = ["clientId", "name", "idNumber", "phone", "email", "address", "birthDate", "notes"];

export interface FieldRule {
  rule: RuleKind;
  method?: string;
}

export interface Profile {
  code: string;
  version: number;
  nameZh: string;
  nameEn: string;
  descriptionZh: string;
  descriptionEn: string;
  identifying: boolean;
  identifyingFields: Field[];
  sealed: boolean;
  fields: Partial<Record<Field, FieldRule>>;
  builtin: boolean;
  updatedAt: string;
  versionCreatedBy: string | null;
}

export const rulesFor = (field: Field): RuleKind[] =>
  RULES.filter((r) => {
    if (r === "pseudonym") return field === "clientId";
    if (r === "mask") return MASKABLE.includes(field);
    if (r === "generalise") return (METHODS[field]?.length ?? 0) > 0;
    return true;
  });

/** Fields the draft keeps in full that identify a person: the editor warns before saving. */
export const keptIdentifiers = (fields: Partial<Record<Field, FieldRule>>): Field[] =>
  FIELDS.filter((f) => fields[f]?.rule === "keep" && IDENTIFYING_WHEN_KEPT.includes(f));
