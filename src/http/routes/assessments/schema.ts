import { z } from "zod";
import { CONTROL_CODE, FINDING_STATUSES } from "../../../governance/assessments/assessment.js";
import {
  AuditCreateInput,
  ControlCreateInput,
  ControlUpdateInput,
  FindingCreateInput,
  FindingProgressInput,
  FindingVerifyInput,
  RegisterPiaInput,
  ResultInput,
  RunCreateInput,
} from "../../../governance/assessments/assessment-inputs.js";

export const ControlCreateSchema = ControlCreateInput;
export type ControlCreateRequest = z.infer<typeof ControlCreateSchema>;
export const ControlUpdateSchema = ControlUpdateInput;
export type ControlUpdateRequest = z.infer<typeof ControlUpdateSchema>;
export const RunCreateSchema = RunCreateInput;
export type RunCreateRequest = z.infer<typeof RunCreateSchema>;
export const ResultSchema = ResultInput;
export type ResultRequest = z.infer<typeof ResultSchema>;
export const FindingCreateSchema = FindingCreateInput;
export type FindingCreateRequest = z.infer<typeof FindingCreateSchema>;
export const FindingProgressSchema = FindingProgressInput;
export const FindingVerifySchema = FindingVerifyInput;
export const AuditCreateSchema = AuditCreateInput;
export type AuditCreateRequest = z.infer<typeof AuditCreateSchema>;
export const PiaRegisterSchema = RegisterPiaInput;
export type PiaRegisterRequest = z.infer<typeof PiaRegisterSchema>;

export const IdParams = z.strictObject({ id: z.uuid() });
export const ControlParams = z.strictObject({ code: z.string().regex(CONTROL_CODE) });
export const RunControlParams = z.strictObject({ id: z.uuid(), code: z.string().regex(CONTROL_CODE) });
const flag = z.enum(["true", "false"]).transform((v) => v === "true");
export const FindingListQuery = z.strictObject({
  status: z.enum(FINDING_STATUSES).optional(),
  overdue: flag.optional().describe("Only unfinished findings past their deadline"),
  mine: flag.optional().describe("Only the caller's own findings (open to every staff member)"),
  runId: z.uuid().optional(),
  auditId: z.uuid().optional(),
});

export const ControlSchema = z.object({
  code: z.string(),
  area: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  evidenceSource: z.string().nullable(),
  applicable: z.boolean(),
  applicabilityNote: z.string().nullable(),
  active: z.boolean(),
});
export const ControlListSchema = z.object({ items: z.array(ControlSchema) });

const figure = z.union([z.number(), z.string(), z.boolean(), z.null()]);
export const FindingSchema = z.object({
  id: z.string(),
  runId: z.string().nullable(),
  auditId: z.string().nullable(),
  controlCode: z.string().nullable(),
  summary: z.string(),
  severity: z.string(),
  ownerId: z.string(),
  dueOn: z.string(),
  status: z.string(),
  overdue: z.boolean(),
  resolution: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  verifiedBy: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const FindingListSchema = z.object({ items: z.array(FindingSchema) });

const runSummary = {
  id: z.string(),
  kind: z.string(),
  plannedOn: z.string(),
  scope: z.array(z.string()),
  assessorId: z.string(),
  status: z.string(),
  previousRunId: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
  counts: z.object({ controls: z.number(), answered: z.number(), gaps: z.number(), findings: z.number(), openFindings: z.number() }),
};
export const RunSummarySchema = z.object(runSummary);
export const RunListSchema = z.object({ items: z.array(RunSummarySchema) });
export const RunSchema = z.object({
  ...runSummary,
  results: z.array(
    z.object({
      code: z.string(),
      area: z.string(),
      titleZh: z.string(),
      titleEn: z.string(),
      evidenceSource: z.string().nullable(),
      evidence: z.record(z.string(), figure).nullable().describe("The source's figures when the run started"),
      suggested: z.string().nullable(),
      result: z.string().nullable(),
      notes: z.string().nullable(),
      documentRefs: z.array(z.string()),
      answeredBy: z.string().nullable(),
      answeredAt: z.string().nullable(),
    }),
  ),
  findings: z.array(FindingSchema),
  carriedOver: z.array(FindingSchema).describe("The previous run's findings not yet verified"),
});

export const AuditSchema = z.object({
  id: z.string(),
  kind: z.string(),
  auditor: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  scope: z.string(),
  reportReference: z.string().nullable(),
  reportDocumentId: z.string().nullable(),
  conclusion: z.string(),
  completedOn: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  findings: z.array(FindingSchema),
  openFindings: z.number(),
});
export const AuditListSchema = z.object({ items: z.array(AuditSchema) });

export const PiaSchema = z.object({
  id: z.string(),
  subject: z.string().nullable(),
  trigger: z.string().nullable(),
  partnerId: z.string().nullable(),
  partnerName: z.string().nullable(),
  conductedOn: z.string(),
  summary: z.string(),
  conclusion: z.string(),
  keepUntil: z.string(),
  deletable: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const PiaListSchema = z.object({ items: z.array(PiaSchema) });
export const PiaDeletedSchema = z.object({ deleted: z.string() });
