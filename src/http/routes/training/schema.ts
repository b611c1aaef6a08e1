import { z } from "zod";
import {
  AcknowledgeInput,
  AGREEMENT_KINDS,
  AgreementVersionInput,
  AnswersInput,
  AssignmentInput,
  BackgroundCheckInput,
  CompletionRecordInput,
  CourseInput,
  CourseUpdateInput,
} from "../../../governance/training/training-inputs.js";

export const CourseCreateSchema = CourseInput;
export const CourseUpdateSchema = CourseUpdateInput;
export const AttemptSchema = AnswersInput;
export const AssignmentCreateSchema = AssignmentInput;
export const CompletionCreateSchema = CompletionRecordInput;
export const AgreementPublishSchema = AgreementVersionInput;
export const AcknowledgeSchema = AcknowledgeInput;
export const AgreementRecordSchema = z.strictObject({ userId: z.string().min(1).max(64), version: z.number().int().min(1).max(10_000).optional() });
export const BackgroundCheckCreateSchema = BackgroundCheckInput;

export const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
export const KindParams = z.strictObject({ kind: z.enum(AGREEMENT_KINDS) });
export const UserParams = z.strictObject({ userId: z.string().min(1).max(64) });
export const CourseQuery = z.strictObject({ edit: z.enum(["true", "false"]).optional().describe("true: with the correct options (training.manage)") });

export const CourseSchema = z.object({
  id: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  contentZh: z.string(),
  contentEn: z.string(),
  documentId: z.string().nullable(),
  validityMonths: z.number(),
  passMark: z.number(),
  requiredForSensitive: z.boolean(),
  status: z.enum(["active", "retired"]),
  questionCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const Option = z.object({ zh: z.string(), en: z.string() });
export const QuestionSchema = z.object({
  id: z.string(),
  textZh: z.string(),
  textEn: z.string(),
  options: z.array(Option),
  multiple: z.boolean(),
  correct: z.array(z.number()).optional().describe("Only in the editor's view (edit=true)"),
});
export const CourseDetailSchema = z.object({ course: CourseSchema, questions: z.array(QuestionSchema) });
export const CompletionSchema = z.object({
  id: z.string(),
  courseId: z.string(),
  userId: z.string(),
  source: z.enum(["quiz", "recorded"]),
  completedAt: z.string(),
  expiresAt: z.string(),
});
export const AttemptResultSchema = z.object({
  attemptId: z.string(),
  score: z.number(),
  rightCount: z.number(),
  total: z.number(),
  passed: z.boolean(),
  passMark: z.number(),
  results: z.array(z.object({ questionId: z.string(), right: z.boolean() })),
  completion: CompletionSchema.nullable(),
});
export const AssignmentSchema = z.object({
  id: z.string(),
  courseId: z.string(),
  role: z.string().nullable(),
  userId: z.string().nullable(),
  dueOn: z.string(),
  assignedBy: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
});
const ObligationStatus = z.enum(["on_time", "late", "pending", "overdue"]);
export const ObligationSchema = z.object({
  userId: z.string(),
  courseId: z.string(),
  dueOn: z.string(),
  status: ObligationStatus,
  expiresAt: z.string().nullable(),
});
export const MyTrainingSchema = z.object({
  today: z.string(),
  items: z.array(
    z.object({
      courseId: z.string(),
      titleZh: z.string(),
      titleEn: z.string(),
      requiredForSensitive: z.boolean(),
      passMark: z.number(),
      validityMonths: z.number(),
      dueOn: z.string().nullable(),
      status: z.union([ObligationStatus, z.literal("unassigned")]),
      completedAt: z.string().nullable(),
      expiresAt: z.string().nullable(),
      current: z.boolean(),
      lastAttempt: z.object({ score: z.number(), passed: z.boolean(), submittedAt: z.string() }).nullable(),
    }),
  ),
});
export const AgreementVersionSchema = z.object({
  id: z.string(),
  kind: z.enum(AGREEMENT_KINDS),
  version: z.number(),
  titleZh: z.string(),
  titleEn: z.string(),
  textZh: z.string(),
  textEn: z.string(),
  publishedBy: z.string(),
  publishedAt: z.string(),
  current: z.boolean(),
});
export const AcknowledgementSchema = z.object({
  id: z.string(),
  userId: z.string(),
  kind: z.string(),
  version: z.number(),
  acknowledgedAt: z.string(),
  source: z.enum(["electronic", "recorded"]),
});
export const AcknowledgementRecordSchema = AcknowledgementSchema.extend({
  ip: z.string().nullable().describe("Sealed at rest; opened for compliance"),
  userAgent: z.string().nullable().describe("Sealed at rest; opened for compliance"),
});
export const MyAgreementsSchema = z.object({
  items: z.array(
    z.object({
      kind: z.enum(AGREEMENT_KINDS),
      version: z.number(),
      titleZh: z.string(),
      titleEn: z.string(),
      textZh: z.string(),
      textEn: z.string(),
      required: z.boolean(),
      acknowledgedVersion: z.number().nullable(),
      acknowledgedAt: z.string().nullable(),
      pending: z.boolean(),
    }),
  ),
});
export const BackgroundCheckSchema = z.object({
  id: z.string(),
  userId: z.string(),
  checkedOn: z.string(),
  scope: z.array(z.string()),
  outcome: z.string(),
  notes: z.string().nullable().describe("Sealed at rest"),
  nextDueOn: z.string().nullable(),
  recordedBy: z.string(),
  createdAt: z.string(),
});
export const BackgroundRegisterSchema = z.object({
  items: z.array(z.object({ userId: z.string(), role: z.string(), latest: BackgroundCheckSchema.nullable(), due: z.boolean() })),
});
export const TrainingReportSchema = z.object({
  figures: z.object({ assigned: z.number(), completedOnTime: z.number(), overdue: z.number(), staffNeedingAck: z.number(), staffAcknowledged: z.number() }),
  activeStaff: z.number(),
  courses: z.array(z.object({ courseId: z.string(), currentCompletions: z.number() })),
  pendingAcknowledgement: z.array(z.string()),
});
