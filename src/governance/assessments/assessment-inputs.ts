/**
 * What staff send about assessments, audits, findings and PIAs, validated the same way from the API
 * and the CLI (the route schemas re-export these).
 */
import { z } from "zod";
import { humanText } from "../../http/schema-text.js";
import { PIA_CONCLUSIONS } from "../partners/partner.js";
import { AREA, AUDIT_CONCLUSIONS, AUDIT_KINDS, CONTROL_CODE, PIA_TRIGGERS, RESULTS, RUN_KINDS, SEVERITIES } from "./assessment.js";
import { EVIDENCE_SOURCE_NAMES } from "./evidence.js";

const day = z.iso.date().describe("YYYY-MM-DD");
const documentRef = humanText().min(1).max(100).describe("A document id or the firm's file reference");

export const ControlCreateInput = z.strictObject({
  code: z.string().regex(CONTROL_CODE).describe("e.g. FIRM-1"),
  area: z.string().regex(AREA),
  titleZh: humanText().min(1).max(200),
  titleEn: humanText().min(1).max(200),
  evidenceSource: z.enum(EVIDENCE_SOURCE_NAMES).nullable().default(null),
  applicable: z.boolean().default(true),
  applicabilityNote: humanText().max(500).nullable().default(null),
});
export type ControlCreateInput = z.infer<typeof ControlCreateInput>;

export const ControlUpdateInput = z.strictObject({
  titleZh: humanText().min(1).max(200).optional(),
  titleEn: humanText().min(1).max(200).optional(),
  evidenceSource: z.enum(EVIDENCE_SOURCE_NAMES).nullable().optional(),
  applicable: z.boolean().optional(),
  applicabilityNote: humanText().max(500).nullable().optional(),
  active: z.boolean().optional(),
});
export type ControlUpdateInput = z.infer<typeof ControlUpdateInput>;

export const RunCreateInput = z.strictObject({
  kind: z.enum(RUN_KINDS),
  plannedOn: day,
  scope: z.array(z.string().regex(AREA)).max(30).default([]).describe("Control areas (ENC, IAM, PIPL …); empty is every area"),
  assessorId: z.uuid().describe("The staff member who performs the assessment"),
});
export type RunCreateInput = z.infer<typeof RunCreateInput>;

export const ResultInput = z.strictObject({
  result: z.enum(RESULTS),
  notes: humanText({ multiline: true }).max(4000).nullable().default(null).describe("Sealed at rest"),
  documentRefs: z.array(documentRef).max(20).default([]),
});
export type ResultInput = z.infer<typeof ResultInput>;

export const FindingCreateInput = z
  .strictObject({
    runId: z.uuid().nullable().default(null),
    auditId: z.uuid().nullable().default(null),
    controlCode: z.string().regex(CONTROL_CODE).nullable().default(null),
    summary: humanText({ multiline: true }).min(1).max(4000).describe("Sealed at rest"),
    severity: z.enum(SEVERITIES),
    ownerId: z.uuid(),
    dueOn: day.describe("Remediation deadline"),
  })
  .refine((f) => (f.runId === null) !== (f.auditId === null), { message: "Name either a run or an audit.", path: ["runId"] });
export type FindingCreateInput = z.infer<typeof FindingCreateInput>;

export const FindingProgressInput = z.strictObject({
  status: z.enum(["in_remediation", "resolved"]),
  resolution: humanText({ multiline: true }).min(1).max(4000).optional().describe("Required when resolved; sealed at rest"),
});
export type FindingProgressInput = z.infer<typeof FindingProgressInput>;

export const FindingVerifyInput = z.strictObject({
  accepted: z.boolean().describe("false sends the finding back to remediation"),
});
export type FindingVerifyInput = z.infer<typeof FindingVerifyInput>;

export const AuditCreateInput = z.strictObject({
  kind: z.enum(AUDIT_KINDS),
  auditor: humanText().min(1).max(200).describe("The auditor or audit firm; sealed at rest"),
  periodFrom: day,
  periodTo: day,
  scope: humanText({ multiline: true }).min(1).max(4000).describe("Sealed at rest"),
  reportReference: humanText().max(100).nullable().default(null),
  reportDocumentId: z.uuid().nullable().default(null).describe("The report in the document store"),
  conclusion: z.enum(AUDIT_CONCLUSIONS),
  completedOn: day,
});
export type AuditCreateInput = z.infer<typeof AuditCreateInput>;

export const RegisterPiaInput = z.strictObject({
  subject: humanText().min(1).max(200).describe("The processing activity assessed"),
  trigger: z.enum(PIA_TRIGGERS).describe("The PIPL Art 55 case"),
  partnerId: z.uuid().nullable().default(null).describe("The partner it concerns, if any"),
  conductedOn: day,
  summary: humanText({ multiline: true }).min(1).max(8000).describe("Sealed at rest"),
  conclusion: z.enum(PIA_CONCLUSIONS),
});
export type RegisterPiaInput = z.infer<typeof RegisterPiaInput>;
