import { z } from "zod";
import { PARTNER_STATUSES } from "../../../governance/partners/partner.js";
import {
  AssessmentInput,
  ContactInput,
  ContractInput,
  PartnerCreateInput,
  PartnerIncidentInput,
  PartnerUpdateInput,
  PiaInput,
  QuestionUpdateInput,
  TransferBasisInput,
} from "../../../governance/partners/partner-inputs.js";

export const PartnerCreateSchema = PartnerCreateInput;
export type PartnerCreateRequest = z.infer<typeof PartnerCreateSchema>;
export const PartnerUpdateSchema = PartnerUpdateInput;
export type PartnerUpdateRequest = z.infer<typeof PartnerUpdateSchema>;
export const ContactCreateSchema = ContactInput;
export const AssessmentCreateSchema = AssessmentInput;
export type AssessmentCreateRequest = z.infer<typeof AssessmentCreateSchema>;
export const QuestionUpdateSchema = QuestionUpdateInput;
export const ContractCreateSchema = ContractInput;
export type ContractCreateRequest = z.infer<typeof ContractCreateSchema>;
export const ContractTerminateSchema = z.strictObject({ on: z.iso.date().optional() });
export const PiaCreateSchema = PiaInput;
export const TransferBasisCreateSchema = TransferBasisInput;
export const TransferVerifySchema = z.strictObject({ verified: z.boolean() });
export const PartnerIncidentCreateSchema = PartnerIncidentInput;

export const PartnerIdParams = z.strictObject({ id: z.uuid() });
export const PartnerChildParams = z.strictObject({ id: z.uuid(), childId: z.uuid() });
export const QuestionParams = z.strictObject({ code: z.string().regex(/^[a-z0-9_]{1,64}$/) });
export const PartnerListQuery = z.strictObject({ status: z.enum(PARTNER_STATUSES).optional() });

const risk = z.enum(["low", "medium", "high"]);
const reason = z.object({ question: z.string(), answer: z.string().nullable(), risk: z.enum(["medium", "high"]) });
const standing = {
  risk: z.object({ level: risk, assessedOn: z.string(), reassessmentDueOn: z.string(), overdue: z.boolean() }).nullable(),
  contractsExpiringSoon: z.number(),
  readiness: z.object({ ready: z.boolean(), reason: z.string().nullable().describe("The sharing rule's reason code when not ready") }),
};

export const PartnerListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  piplRole: z.string(),
  jurisdiction: z.string(),
  status: z.string(),
  maxLevel: z.number(),
  ...standing,
});
export const PartnerListSchema = z.object({ items: z.array(PartnerListItemSchema) });

export const PartnerSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string(),
  piplRole: z.string(),
  jurisdiction: z.string(),
  crossBorder: z.boolean(),
  services: z.string(),
  dataCategories: z.array(z.string()),
  maxLevel: z.number(),
  status: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  ...standing,
  contacts: z.array(z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable() })),
  assessments: z.array(
    z.object({
      id: z.string(),
      assessedOn: z.string(),
      assessorId: z.string(),
      riskLevel: risk,
      reasons: z.array(reason),
      answers: z.record(z.string(), z.string()),
      reassessmentDueOn: z.string(),
    }),
  ),
  contracts: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      version: z.string(),
      signedOn: z.string(),
      expiresOn: z.string().nullable(),
      terminatedOn: z.string().nullable(),
      obligations: z.record(z.string(), z.object({ met: z.boolean(), note: z.string().nullable() })),
      documentId: z.string().nullable(),
      current: z.boolean(),
      createdAt: z.string(),
    }),
  ),
  pias: z.array(z.object({ id: z.string(), conductedOn: z.string(), summary: z.string(), conclusion: z.string(), keepUntil: z.string() })),
  transferBases: z.array(
    z.object({
      id: z.string(),
      destination: z.string(),
      mechanism: z.string(),
      regime: z.enum(["pipl", "gdpr"]),
      reference: z.string(),
      validFrom: z.string(),
      validUntil: z.string().nullable(),
      verified: z.boolean(),
      piaId: z.string().nullable(),
      current: z.boolean(),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      occurredOn: z.string(),
      description: z.string(),
      clientDataInvolved: z.boolean(),
      incidentId: z.string().nullable(),
      recordedBy: z.string(),
      createdAt: z.string(),
    }),
  ),
});

export const AssessmentResultSchema = z.object({
  assessmentId: z.string(),
  riskLevel: risk,
  reasons: z.array(reason),
  reassessmentDueOn: z.string(),
  partner: PartnerSchema,
});

export const QuestionSchema = z.object({
  code: z.string(),
  position: z.number(),
  textZh: z.string(),
  textEn: z.string(),
  kind: z.enum(["yes_no", "choice", "text"]),
  riskByAnswer: z.record(z.string(), risk),
  active: z.boolean(),
});
export const QuestionnaireSchema = z.object({ items: z.array(QuestionSchema) });
