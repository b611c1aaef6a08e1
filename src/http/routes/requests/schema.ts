import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { ID_TYPES } from "../../../records/clients/client.js";
import { DEADLINE_UNITS } from "../../../rights/requests/regimes.js";
import { LIFT_REASONS } from "../../../rights/requests/restriction-lifter.js";
import { LEGAL_BASES } from "../../../rights/consent/legal-basis.js";
import { EXTENSION_REASONS, REFUSAL_REASONS, REQUEST_STATUSES, REQUEST_TYPES, STAFF_EVIDENCE_KINDS } from "../../../rights/requests/request.js";

const reference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/)
  .describe("A form or case number; never free text");
const personal = humanText().min(1).max(200);

export const RequestParams = z.strictObject({ id: z.uuid() });

export const ChallengeSchema = z.object({
  challenge: z.string(),
  bits: z.number().describe("Find a decimal nonce with SHA-256(`${challenge}:${nonce}`) starting with this many zero bits"),
  expiresAt: z.string(),
});

export const PortalSubmitSchema = z.strictObject({
  type: z.enum(REQUEST_TYPES),
  idType: z.enum(ID_TYPES).optional(),
  idNumber: personal.optional(),
  phone: personal.optional(),
  email: personal.optional(),
  channel: z.enum(["phone", "email"]).optional().describe("Where to send the code, if we hold it; otherwise the other contact on file"),
  language: z.enum(["zh-CN", "en"]).default("zh-CN"),
  correction: z
    .strictObject({
      name: personal.nullable().optional(),
      idType: z.enum(ID_TYPES).nullable().optional(),
      idNumber: personal.nullable().optional(),
      phone: personal.nullable().optional(),
      email: personal.nullable().optional(),
      address: humanText().max(500).nullable().optional(),
      birthDate: personal.nullable().optional(),
    })
    .optional()
    .describe("correction: the new values"),
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,63}$/)
    .optional()
    .describe("withdraw_consent: the purpose"),
  proof: z.strictObject({ challenge: z.string().max(200), nonce: z.string().max(16) }),
});
export type PortalSubmitRequest = z.infer<typeof PortalSubmitSchema>;

export const PortalReceiptSchema = z.object({ requestId: z.string(), status: z.literal("received"), message: z.string(), codeExpiresInSeconds: z.number() });
export const PortalVerifySchema = z.strictObject({ code: z.string().regex(/^\d{6}$/) });
export const PortalTokenSchema = z.object({ requestId: z.string(), status: z.literal("verified"), token: z.string(), tokenExpiresAt: z.string() });
export const PackageQuery = z.strictObject({ format: z.enum(["json", "html"]).default("json"), lang: z.enum(["zh-CN", "en"]).optional() });

export const PortalRequestSchema = z.object({
  id: z.string(),
  type: z.enum(REQUEST_TYPES),
  status: z.enum(REQUEST_STATUSES),
  receivedAt: z.string(),
  dueDate: z.string(),
  extendedDueDate: z.string().nullable(),
  extensionReason: z.string().nullable(),
  outcome: z.string().nullable(),
  outcomeDetails: z.record(z.string(), z.string().nullable()).nullable(),
  closedAt: z.string().nullable(),
});

export const StaffRequestSchema = PortalRequestSchema.extend({
  regime: z.string(),
  language: z.string(),
  clientId: z.string().nullable(),
  match: z.string(),
  ownerId: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  verificationMethod: z.string().nullable(),
  verificationEvidence: z.string().nullable(),
  reminder: z.boolean(),
  overdue: z.boolean(),
  history: z.array(z.object({ seq: z.number(), status: z.string(), at: z.string(), actorId: z.string().nullable(), reason: z.string().nullable() })).optional(),
});

export const RequestListQuery = z.strictObject({
  status: z.enum(REQUEST_STATUSES).optional(),
  open: z.enum(["true", "false"]).optional(),
  overdue: z.enum(["true", "false"]).optional(),
});
export const AssignSchema = z.strictObject({ ownerId: z.uuid().optional(), regime: humanText().max(64).optional() });
export const StaffVerifySchema = z.strictObject({ clientId: z.uuid(), evidence: z.strictObject({ kind: z.enum(STAFF_EVIDENCE_KINDS), reference }) });
export const ExtendSchema = z.strictObject({ reason: z.enum(EXTENSION_REASONS) });
export const RefuseSchema = z.strictObject({ reason: z.enum(REFUSAL_REASONS) });

export const RegimeParams = z.strictObject({ code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/) });
const Period = z.strictObject({ unit: z.enum(DEADLINE_UNITS), amount: z.number().int().min(1).max(365) });
export const RegimeSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  unit: z.enum(DEADLINE_UNITS),
  amount: z.number().int(),
  extension: z.object({ unit: z.enum(DEADLINE_UNITS), amount: z.number().int() }).nullable(),
  reminderDays: z.number().int(),
  verified: z.boolean().describe("false: an UNVERIFIED figure; warn before relying on it"),
  source: z.string(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export const RegimeUpdateSchema = z.strictObject({
  unit: z.enum(DEADLINE_UNITS),
  amount: z.number().int().min(1).max(365),
  extension: Period.nullable().describe("null: no extension"),
  reminderDays: z.number().int().min(0).max(60).describe("Calendar days before the deadline when the owner is reminded"),
  verified: z.boolean().describe("The firm has checked the figure against its source"),
  source: humanText({ multiline: true }).trim().min(1).max(500).describe("Where the figure comes from (a citation)"),
  nameZh: humanText().trim().min(1).max(100).optional(),
  nameEn: humanText().trim().min(1).max(100).optional(),
});
export type RegimeUpdateRequest = z.infer<typeof RegimeUpdateSchema>;

export const ClientParams = z.strictObject({ id: z.uuid() });
export const RestrictionLiftSchema = z.strictObject({
  reason: z.enum(LIFT_REASONS).describe("client_request: the client asked; the others: the ground for the restriction ended"),
  reference: reference.optional().describe("The client's form or letter, or the case file: a reference code, never free text"),
});
export type RestrictionLiftRequest = z.infer<typeof RestrictionLiftSchema>;
export const RestrictionLiftResultSchema = z.object({
  clientId: z.string(),
  requestId: z.string().nullable(),
  restrictedAt: z.string(),
  liftedAt: z.string(),
  reason: z.enum(LIFT_REASONS),
  reference: z.string().nullable(),
  purposes: z.array(z.string()).describe("The record's purposes now"),
  dropped: z
    .array(z.object({ purpose: z.string(), reason: z.enum(["unregistered", "consent_withdrawn"]) }))
    .describe("Purposes in force before the restriction that did not come back"),
});

export const PublicPurposeSchema = z.object({
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  legalBasis: z.string().describe(`PIPL Art. 13 basis: ${LEGAL_BASES.join(", ")}`),
});
