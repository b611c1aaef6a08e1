import { z } from "zod";

export const UserIdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const AgreementSchema = z.strictObject({
  version: z.number().int().min(1).max(10_000).describe("Version of the confidentiality agreement signed"),
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
  training: z.object({ completedAt: z.string(), expiresAt: z.string() }).nullable(),
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
