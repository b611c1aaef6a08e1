import { z } from "zod";
import { FieldRuleSchema, PROFILE_FIELDS, ProfileBodySchema } from "../../../vault/deidentification/profile.js";

export const ProfileParams = z.strictObject({ code: z.string().min(1).max(40) });
export const ProfileQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional().describe("A past version; the one in force when absent") });

const fields = z.partialRecord(z.enum(PROFILE_FIELDS), FieldRuleSchema).describe("Field → rule; fields not named are omitted (an allow-list)");

export const ProfileSchema = z.object({
  code: z.string(),
  version: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  descriptionZh: z.string(),
  descriptionEn: z.string(),
  identifying: z.boolean().describe("The profile sends data that identifies a person (e.g. a court filing)"),
  identifyingFields: z.array(z.enum(PROFILE_FIELDS)).describe("The fields it keeps in full that identify a person"),
  sealed: z.boolean().describe("ENC-5: the package is encrypted whole before it leaves; the one-time key goes out of band"),
  fields,
  builtin: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  versionCreatedAt: z.string(),
  versionCreatedBy: z.string().nullable(),
});

export const ProfileListSchema = z.object({ items: z.array(ProfileSchema) });
export const ProfileDetailSchema = z.object({
  profile: ProfileSchema,
  versions: z.array(z.object({ version: z.number(), createdAt: z.string(), createdBy: z.string().nullable() })),
});

export const ProfileCreateSchema = ProfileBodySchema.extend({
  code: z.string().describe("Lower-case letters, digits and _, 2-40 characters; never changes"),
  fields,
});
export type ProfileCreateRequest = z.infer<typeof ProfileCreateSchema>;

export const ProfileUpdateSchema = ProfileBodySchema.extend({
  expectedVersion: z.number().int().min(1).describe("The version the change starts from; another save meanwhile answers 409 profile_version_conflict"),
  fields,
});
export type ProfileUpdateRequest = z.infer<typeof ProfileUpdateSchema>;
