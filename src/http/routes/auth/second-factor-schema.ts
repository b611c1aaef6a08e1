import { z } from "zod";
import { RecoveryCodeSchema, TotpCodeSchema } from "./schema.js";

const password = z.string().min(1).max(1024).describe("Your current password");

export const RecoveryCodesRequestSchema = z
  .union([z.strictObject({ password }), z.strictObject({ code: TotpCodeSchema })])
  .describe("Your password or a fresh code from your authenticator");
export type RecoveryCodesRequest = z.infer<typeof RecoveryCodesRequestSchema>;

export const TotpReplaceSchema = z
  .union([z.strictObject({ code: TotpCodeSchema }), z.strictObject({ recoveryCode: RecoveryCodeSchema })])
  .describe("A code from the current authenticator, or a recovery code if it is lost");
export type TotpReplaceRequest = z.infer<typeof TotpReplaceSchema>;

export const TotpRemoveSchema = z.strictObject({ password, code: TotpCodeSchema });
export type TotpRemoveRequest = z.infer<typeof TotpRemoveSchema>;

export const TotpReplacedSchema = z.object({ replacedAt: z.string().describe("From now on only the new authenticator's codes are accepted") });

export const SecondFactorStatusSchema = z.object({
  totp: z.object({
    enrolled: z.boolean(),
    required: z.boolean().describe("The role requires a second factor: it cannot be turned off"),
    enrolledAt: z.string().nullable(),
    replacementPending: z.boolean().describe("A new authenticator waits for its first code"),
  }),
  recoveryCodesLeft: z.number().int(),
  passkeys: z.boolean().describe("At least one passkey is registered"),
});
