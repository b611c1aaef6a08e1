import { z } from "zod";
import {
  APPROVAL_KINDS,
  APPROVAL_REFERENCE,
  JUSTIFICATIONS,
  MAX_DURATION_MINUTES,
  MIN_DURATION_MINUTES,
  ROLE_GRANT,
} from "../../../access/approvals/approval.js";

export const ApprovalIdParams = z.strictObject({ id: z.uuid() });

export const ApprovalCreateSchema = z.strictObject({
  kind: z
    .enum(APPROVAL_KINDS)
    .describe("read_sensitive (L4 outside one's matters) | export | bulk_read | copy_document | forward_document | disclose (outside the firm; four-eyes)"),
  clientId: z.uuid(),
  matterId: z.uuid().optional(),
  purpose: z.string().min(1).max(64).describe("A registered purpose code"),
  justification: z.enum(JUSTIFICATIONS).describe("Why (a code: no free text, so no personal data)"),
  reference: z.string().regex(APPROVAL_REFERENCE).optional().describe("Ticket or file number"),
  durationMinutes: z.number().int().min(MIN_DURATION_MINUTES).max(MAX_DURATION_MINUTES).describe("How long the grant lasts once approved"),
});
export type ApprovalCreateRequest = z.infer<typeof ApprovalCreateSchema>;

export const ApprovalListQuery = z.strictObject({ scope: z.enum(["mine", "to_decide"]).default("mine") });

export const ApprovalSchema = z.object({
  id: z.uuid(),
  requesterId: z.string(),
  kind: z.enum([...APPROVAL_KINDS, ROLE_GRANT]).describe("role_grant: a role at L3+ for subjectId, filed by user administration"),
  clientId: z.string().nullable().describe("Null for a role grant"),
  subjectId: z.string().nullable().describe("role_grant: the staff member whose role changes"),
  role: z.string().nullable().describe("role_grant: the role asked for"),
  matterId: z.string().nullable(),
  purpose: z.string(),
  justification: z.enum(JUSTIFICATIONS),
  reference: z.string().nullable(),
  durationMinutes: z.number(),
  status: z.enum(["pending", "approved", "rejected"]),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decisions: z.array(
    z.object({
      slot: z.enum(["supervisor", "compliance", "approver"]),
      approverId: z.string(),
      decision: z.enum(["approve", "reject"]),
      decidedAt: z.string(),
    }),
  ),
  grant: z.object({ id: z.string(), startsAt: z.string(), expiresAt: z.string(), revokedAt: z.string().nullable(), current: z.boolean() }).nullable(),
});

export const KpiQuery = z.strictObject({ from: z.iso.datetime(), to: z.iso.datetime() });
const KindCount = z.object({ total: z.number(), withGrant: z.number() });
export const KpiSchema = z.object({
  from: z.string(),
  to: z.string(),
  sensitiveOperations: z.number(),
  withValidGrant: z.number(),
  value: z.number().nullable().describe("withValidGrant / sensitiveOperations; null when there were none"),
  byKind: z.object({ export: KindCount, read_sensitive: KindCount, disclose: KindCount }),
  breakGlassReads: z.number(),
});
