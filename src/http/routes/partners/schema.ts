import { z } from "zod";
import { PARTNER_STATUSES } from "../../../governance/partners/partner.js";
import { REVIEW_DECISIONS } from "../../../governance/partners/assessment-review.js";
import { LINK_DEFAULT_DAYS, LINK_LANGUAGES, LINK_MAX_DAYS } from "../../../governance/partners/questionnaire-links.js";
import { humanText } from "../../schema-text.js";
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

export const QuestionnaireLinkSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  language: z.string(),
  status: z.enum(["active", "used", "revoked", "expired"]),
  issuedBy: z.string(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  emailed: z.boolean(),
  usedAt: z.string().nullable(),
  assessmentId: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});

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
      answeredBy: z.enum(["staff", "partner"]).describe("partner: answered by the partner's contact through a one-time link"),
      contactId: z.string().nullable().describe("The contact the link was issued to"),
      reviewStatus: z.enum(["confirmed", "pending_review", "rejected"]).describe("Only confirmed assessments count for the sharing rule"),
      reviewedBy: z.string().nullable(),
      reviewedAt: z.string().nullable(),
    }),
  ),
  questionnaireLinks: z.array(QuestionnaireLinkSchema),
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

// One-time questionnaire links (issue #13): issued by compliance, answered by the partner without a staff sign-in.
export const LinkIssueSchema = z.strictObject({
  contactId: z.uuid().describe("The partner contact who will answer"),
  expiresInDays: z.number().int().min(1).max(LINK_MAX_DAYS).optional().describe(`Default ${LINK_DEFAULT_DAYS}`),
  language: z.enum(LINK_LANGUAGES).optional().describe("The email's and page's first language (default zh-CN)"),
  email: z.boolean().optional().describe("Email the link to the contact through the mail outbox"),
});
export const IssuedLinkSchema = z.object({
  link: QuestionnaireLinkSchema,
  path: z.string().describe("The page to open (/portal/#/questionnaire/<token>), shown once; the token is in the fragment"),
  token: z.string().describe("cpq_<id>.<secret>, shown once; only a SHA-256 of the secret is stored"),
});
export const AssessmentReviewSchema = z.strictObject({ decision: z.enum(REVIEW_DECISIONS) });
export const AssessmentReviewParams = z.strictObject({ id: z.uuid(), childId: z.uuid() });

const linkToken = z.string().min(1).max(200).describe("The token from the link (cpq_<id>.<secret>)");
export const PublicLinkOpenSchema = z.strictObject({ token: linkToken });
export const PublicLinkSubmitSchema = z.strictObject({
  token: linkToken,
  answers: z.record(z.string().regex(/^[a-z0-9_]{1,64}$/), humanText({ multiline: true }).max(2000)),
});
export const PublicQuestionnaireSchema = z.object({
  firm: z.string().nullable(),
  partnerName: z.string(),
  language: z.string(),
  expiresAt: z.string(),
  questions: z.array(
    z.object({ code: z.string(), textZh: z.string(), textEn: z.string(), kind: z.enum(["yes_no", "choice", "text"]), answers: z.array(z.string()) }),
  ),
});
export const PublicSubmitResultSchema = z.object({ received: z.literal(true), submittedAt: z.string() });
