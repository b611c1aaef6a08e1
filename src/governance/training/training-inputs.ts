/**
 * What staff send about training and agreements, validated the same way from the API and the CLI
 * (the route schemas re-export these).
 */
import { z } from "zod";
import { humanText } from "../../http/schema-text.js";
import { ROLES } from "../../access/policy/roles.js";

export const AGREEMENT_KINDS = ["staff_nda", "partner_nda", "outsourcer_agreement", "client_confidentiality"] as const;
export type AgreementKind = (typeof AGREEMENT_KINDS)[number];

export const CHECK_SCOPES = ["identity", "employment", "education", "criminal_record", "credit", "professional_licence"] as const;
export const CHECK_OUTCOMES = ["clear", "concerns", "adverse"] as const;

/**
 * The roles whose members need a background check (TRN-2): those who reach client data at L3+ or
 * run the system (partner, lawyer, compliance), who keep the records room (records-clerk) and who
 * administer accounts (admin). Paralegals and the auditor are left to the firm's HR process.
 */
export const BACKGROUND_CHECK_ROLES: readonly string[] = Object.freeze(["partner", "lawyer", "compliance", "records-clerk", "admin"]);

const day = z.iso.date().describe("YYYY-MM-DD");

export const QuestionInput = z
  .strictObject({
    textZh: humanText().min(1).max(500),
    textEn: humanText().min(1).max(500),
    options: z
      .array(z.strictObject({ zh: humanText().min(1).max(200), en: humanText().min(1).max(200) }))
      .min(2)
      .max(8),
    correct: z.array(z.number().int().min(0).max(7)).min(1).max(8).describe("Indexes of the correct options"),
  })
  .refine((q) => q.correct.every((i) => i < q.options.length) && new Set(q.correct).size === q.correct.length, {
    message: "Each correct index names a distinct option.",
    path: ["correct"],
  });
export type QuestionInput = z.infer<typeof QuestionInput>;

export const CourseInput = z.strictObject({
  titleZh: humanText().min(1).max(200),
  titleEn: humanText().min(1).max(200),
  contentZh: humanText({ multiline: true }).max(50_000).default("").describe("Markdown"),
  contentEn: humanText({ multiline: true }).max(50_000).default("").describe("Markdown"),
  documentId: z.string().min(1).max(64).nullable().default(null).describe("An attachment in the document store, by id"),
  validityMonths: z.number().int().min(1).max(120),
  passMark: z.number().int().min(1).max(100).describe("Percentage of questions answered correctly needed to pass"),
  requiredForSensitive: z.boolean().default(false).describe("A current completion is needed to read L3+ data"),
  questions: z.array(QuestionInput).min(1).max(50),
});
export type CourseInput = z.infer<typeof CourseInput>;

export const CourseUpdateInput = z.strictObject({
  titleZh: humanText().min(1).max(200).optional(),
  titleEn: humanText().min(1).max(200).optional(),
  contentZh: humanText({ multiline: true }).max(50_000).optional(),
  contentEn: humanText({ multiline: true }).max(50_000).optional(),
  documentId: z.string().min(1).max(64).nullable().optional(),
  validityMonths: z.number().int().min(1).max(120).optional(),
  passMark: z.number().int().min(1).max(100).optional(),
  requiredForSensitive: z.boolean().optional(),
  status: z.enum(["active", "retired"]).optional(),
  questions: z.array(QuestionInput).min(1).max(50).optional(),
});
export type CourseUpdateInput = z.infer<typeof CourseUpdateInput>;

export const AnswersInput = z.strictObject({
  answers: z.record(z.string().min(1).max(64), z.array(z.number().int().min(0).max(7)).max(8)).describe("Question id → chosen option indexes"),
});
export type AnswersInput = z.infer<typeof AnswersInput>;

export const AssignmentInput = z
  .strictObject({
    role: z.enum(ROLES).optional(),
    userId: z.string().min(1).max(64).optional(),
    dueOn: day,
  })
  .refine((a) => (a.role === undefined) !== (a.userId === undefined), { message: "Name either a role or a person.", path: ["role"] });
export type AssignmentInput = z.infer<typeof AssignmentInput>;

export const CompletionRecordInput = z.strictObject({
  userId: z.string().min(1).max(64),
  completedOn: day.optional().describe("The in-person session's day; default today"),
  expiresOn: day.optional().describe("Valid through this day; default completion + the course's validity"),
});
export type CompletionRecordInput = z.infer<typeof CompletionRecordInput>;

export const AgreementVersionInput = z.strictObject({
  titleZh: humanText().min(1).max(200),
  titleEn: humanText().min(1).max(200),
  textZh: humanText({ multiline: true }).min(1).max(100_000),
  textEn: humanText({ multiline: true }).min(1).max(100_000),
});
export type AgreementVersionInput = z.infer<typeof AgreementVersionInput>;

export const AcknowledgeInput = z.strictObject({
  version: z.number().int().min(1).max(10_000).describe("The version read; it must be the current one"),
});

export const BackgroundCheckInput = z.strictObject({
  userId: z.string().min(1).max(64),
  checkedOn: day,
  scope: z.array(z.enum(CHECK_SCOPES)).min(1).max(CHECK_SCOPES.length),
  outcome: z.enum(CHECK_OUTCOMES),
  notes: humanText({ multiline: true }).max(5000).optional().describe("Sealed at rest"),
  nextDueOn: day.nullable().default(null),
});
export type BackgroundCheckInput = z.infer<typeof BackgroundCheckInput>;
