import { z } from "zod";
import { ALERT_STATUSES, CONTAINMENTS, DISMISS_REASONS, RULE_CODES, SEVERITIES } from "../../../response/detection/rules.js";

export const AlertIdParams = z.strictObject({ id: z.uuid() });
export const RuleCodeParams = z.strictObject({ code: z.enum(RULE_CODES) });

export const AlertListQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  ruleCode: z.enum(RULE_CODES).optional(),
  userId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
export type AlertListRequest = z.infer<typeof AlertListQuery>;

export const AlertDismissSchema = z.strictObject({ reason: z.enum(DISMISS_REASONS).describe("Why: a code, never free text") });
export type AlertDismissRequest = z.infer<typeof AlertDismissSchema>;

export const AlertSchema = z.object({
  id: z.string(),
  kind: z.string().describe("detection, or wall_breach_attempt for the per-wall records of src/walls"),
  ruleCode: z.string().nullable(),
  severity: z.string().nullable(),
  userId: z.string().nullable(),
  wallId: z.string().nullable(),
  evidence: z.array(z.number()).describe("Audit event sequence numbers"),
  facts: z.record(z.string(), z.union([z.number(), z.string()])).describe("Counts and thresholds; never personal data"),
  containment: z.string().nullable(),
  status: z.string(),
  statusAt: z.string().nullable(),
  statusBy: z.string().nullable(),
  dismissReason: z.string().nullable(),
  incidentId: z.string().nullable(),
  createdAt: z.string(),
});

export const RuleSchema = z.object({
  code: z.enum(RULE_CODES),
  enabled: z.boolean(),
  severity: z.enum(SEVERITIES),
  containment: z.enum(CONTAINMENTS),
  params: z.record(z.string(), z.unknown()),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});

export const RuleUpdateSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(SEVERITIES).optional(),
  containment: z.enum(CONTAINMENTS).optional(),
  params: z.record(z.string(), z.unknown()).optional().describe("Merged over the current parameters and validated per rule"),
});
export type RuleUpdateRequest = z.infer<typeof RuleUpdateSchema>;
