import { z } from "zod";

const totpCode = z
  .string()
  .regex(/^\d{3} ?\d{3}$/)
  .describe("Six digits from the authenticator app");
export const TotpCodeSchema = totpCode;
export const RecoveryCodeSchema = z
  .string()
  .regex(/^[A-Za-z0-9]{5}-?[A-Za-z0-9]{5}$/)
  .describe("One unused recovery code");

export const LoginSchema = z.strictObject({
  email: z.string().min(3).max(254),
  password: z.string().min(1).max(1024),
});
export type LoginRequest = z.infer<typeof LoginSchema>;

export const SecondFactorSchema = z.union([z.strictObject({ code: totpCode }), z.strictObject({ recoveryCode: RecoveryCodeSchema })]);
export type SecondFactorRequest = z.infer<typeof SecondFactorSchema>;

export const TotpConfirmSchema = z.strictObject({ code: totpCode });
export type TotpConfirmRequest = z.infer<typeof TotpConfirmSchema>;

export const SignInStatusSchema = z.object({
  status: z
    .enum(["signed_in", "mfa_required", "enrolment_required"])
    .describe("signed_in: use the API; mfa_required: POST /auth/totp; enrolment_required: POST /auth/totp/enrol"),
  expiresAt: z.string().describe("Absolute end of the session just issued"),
});

export const TotpEnrolmentSchema = z.object({
  secret: z.string().describe("Base32 seed, shown once"),
  uri: z.string().describe("otpauth:// URI for a QR code, shown once"),
});

export const RecoveryCodesSchema = z.object({
  status: z.literal("signed_in"),
  recoveryCodes: z.array(z.string()).describe("Ten single-use codes, shown once"),
});

export const SessionListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      current: z.boolean(),
      createdAt: z.string(),
      lastSeenAt: z.string(),
      idleExpiresAt: z.string(),
      absoluteExpiresAt: z.string(),
      userAgent: z.string().nullable(),
      ip: z.string().nullable(),
    }),
  ),
});

export const MeSchema = z.object({
  userId: z.string(),
  displayName: z.string().describe("The name the staff directory shows (the email when none was given)"),
  email: z.string(),
  role: z.string(),
  clearance: z.number().int(),
  permissions: z.array(z.string()).describe("What the role may do (the console shows only these actions; the API still decides each request)"),
  mfa: z.object({ required: z.boolean(), enrolled: z.boolean() }),
  session: z.object({ kind: z.enum(["full", "mfa", "enrolment"]), absoluteExpiresAt: z.string() }).nullable(),
});

export const PasswordChangeSchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024).describe("Checked by the password policy: 12+ characters, not common, not the email"),
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeSchema>;
