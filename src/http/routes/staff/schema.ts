import { z } from "zod";

export const UserIdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const AgreementSchema = z.strictObject({
  version: z.number().int().min(1).max(10_000).optional().describe("Published staff NDA version signed; default the current one"),
  signedAt: z.string().max(40).optional().describe("YYYY-MM-DD or ISO-8601 UTC; defaults to now"),
});
export const TrainingSchema = z.strictObject({
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe("Valid through this day (UTC)"),
  completedAt: z.string().max(40).optional().describe("YYYY-MM-DD or ISO-8601 UTC; defaults to now"),
});
export const SupervisorSchema = z.strictObject({ supervisorId: z.string().min(1).max(64).nullable() });
export const AccessConditionsSchema = z.object({
  agreement: z.object({ version: z.number(), signedAt: z.string() }).nullable(),
  agreementCurrentVersion: z.number().nullable().describe("The staff NDA version in force; acknowledging an older one does not count"),
  training: z.object({ completedAt: z.string(), expiresAt: z.string() }).nullable().describe("The required completion that runs out first"),
  requiredCourses: z.array(z.object({ courseId: z.string(), completedAt: z.string().nullable(), expiresAt: z.string().nullable(), current: z.boolean() })),
  agreementMet: z.boolean(),
  trainingMet: z.boolean(),
  met: z.boolean().describe("Both current: the user may read L3+ data unmasked (within clearance)"),
});
export const DirectoryEntrySchema = z.object({
  id: z.string(),
  displayName: z.string().describe("The display name, or the local part of the email when none is set"),
  role: z.string(),
  status: z.enum(["active", "disabled"]),
  eligibleAs: z
    .object({ responsiblePartner: z.boolean(), wallOwner: z.boolean() })
    .describe("Whom forms may name: a matter's responsible partner, a wall's owner (the policy decides; src/access/policy/abilities.ts)"),
});
