import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { ROLES } from "../../../access/policy/roles.js";

const roleEnum = z.enum(ROLES).describe(ROLES.join(" | "));

export const UserIdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const TokenIdParams = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{12}$/)
    .describe("The token id (the part after cst_ and before the dot)"),
});

export const UserCreateSchema = z.strictObject({
  email: humanText().min(3).max(320),
  role: roleEnum,
  displayName: humanText().min(1).max(200).optional().describe("Defaults to the email"),
  password: z.string().min(1).max(1024).describe("Initial password: 12+ characters, not common, not based on the email"),
});
export type UserCreateRequest = z.infer<typeof UserCreateSchema>;

export const UserRoleSchema = z.strictObject({ role: roleEnum });
export type UserRoleRequest = z.infer<typeof UserRoleSchema>;

export const StaffUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.string(),
  status: z.enum(["active", "disabled"]),
  supervisorId: z.string().nullable(),
  mfaEnrolled: z.boolean().describe("A confirmed authenticator app (TOTP)"),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
  pendingRole: z
    .object({ approvalId: z.string(), role: z.string() })
    .nullable()
    .describe("A role at L3+ awaiting a second approver (role_grant); the user keeps `role` until then"),
});

const PendingApprovalNote = "A role at L3+ (partner, lawyer, compliance) waits for a compliance officer or partner to approve it";
export const UserCreatedSchema = z.object({
  id: z.string(),
  email: z.string(),
  role: z.string(),
  displayName: z.string(),
  createdAt: z.string(),
  status: z.enum(["active", "awaiting_approval"]).describe(`${PendingApprovalNote}: the account stays disabled until then`),
  approvalId: z.string().nullable().describe("The role_grant approval request, when awaiting approval"),
});
export const UserDisabledSchema = z.object({
  id: z.string(),
  status: z.literal("disabled"),
  sessionsRevoked: z.number(),
  tokensRevoked: z.number(),
  grantsRevoked: z.number(),
});
export const UserRoleChangedSchema = z.object({
  id: z.string(),
  role: z.string().describe("The role in force now"),
  pendingApproval: z.object({ id: z.string(), role: z.string() }).nullable().describe(PendingApprovalNote),
});

export const TokenListQuery = z.strictObject({ userId: z.string().min(1).max(64).optional().describe("Only this user's tokens") });
export const TokenCreateSchema = z.strictObject({
  userId: z.string().min(1).max(64).optional().describe("The user the token acts as: only yourself (the default)"),
  name: humanText().min(1).max(64).describe("What the token is for: letters, digits, spaces, dot, dash, underscore"),
  expiresInDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("Tokens of L3+ users: at most CUSTODIA_TOKEN_MAX_DAYS (90 by default), which is also the default"),
});
export type TokenCreateRequest = z.infer<typeof TokenCreateSchema>;

export const TokenSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revoked: z.boolean(),
  revokedAt: z.string().nullable(),
  createdBy: z.string().nullable().describe("Who issued it: the owner, system:console (CLI), another user (before issue #10), or null (unknown)"),
  lastUsedAt: z.string().nullable().describe("Recorded at most once a minute"),
});
export const TokenIssuedSchema = z.object({
  id: z.string(),
  userId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  token: z.string().describe("cst_<id>.<secret>: shown this once, never stored or listed"),
});
export const TokenRevokedSchema = z.object({ id: z.string(), userId: z.string(), revoked: z.literal(true), revokedAt: z.string() });

export const KeyVersionSchema = z.object({
  version: z.number(),
  status: z.enum(["active", "retired"]),
  createdAt: z.string(),
  retiredAt: z.string().nullable(),
  dataKeys: z.number().describe("Live data keys wrapped by this key-encryption key"),
});
export const KeyRotationSchema = z.object({
  version: z.number().describe("The new active KEK version"),
  rewrapped: z.number().describe("Data keys re-wrapped under it"),
});

export const PurposeSchema = z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), description: z.string(), legalBasis: z.string() });
