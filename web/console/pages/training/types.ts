/** Shapes of the training API (src/http/routes/training/schema.ts), as the console reads them. */

export interface Course {
  id: string;
  titleZh: string;
  titleEn: string;
  contentZh: string;
  contentEn: string;
  documentId: string | null;
  validityMonths: number;
  passMark: number;
  requiredForSensitive: boolean;
  status: "active" | "retired";
  questionCount: number;
}

export interface QuizQuestion {
  id: string;
  textZh: string;
  textEn: string;
  options: { zh: string; en: string }[];
  multiple: boolean;
}

export interface MyCourse {
  courseId: string;
  titleZh: string;
  titleEn: string;
  requiredForSensitive: boolean;
  passMark: number;
  validityMonths: number;
  dueOn: string | null;
  status: "on_time" | "late" | "pending" | "overdue" | "unassigned";
  completedAt: string | null;
  expiresAt: string | null;
  current: boolean;
  lastAttempt: { score: number; passed: boolean; submittedAt: string } | null;
}

export interface AttemptResult {
  score: number;
  rightCount: number;
  total: number;
  passed: boolean;
  passMark: number;
  results: { questionId: string; right: boolean }[];
  completion: { expiresAt: string } | null;
}

export interface MyAgreement {
  kind: string;
  version: number;
  titleZh: string;
  titleEn: string;
  textZh: string;
  textEn: string;
  pending: boolean;
  acknowledgedVersion: number | null;
  acknowledgedAt: string | null;
}

export interface AgreementVersion {
  id: string;
  kind: string;
  version: number;
  titleZh: string;
  titleEn: string;
  publishedAt: string;
  publishedBy: string;
  current: boolean;
}

export interface Obligation {
  userId: string;
  courseId: string;
  dueOn: string;
  status: string;
}

export interface Report {
  figures: { assigned: number; completedOnTime: number; overdue: number; staffNeedingAck: number; staffAcknowledged: number };
  activeStaff: number;
  courses: { courseId: string; currentCompletions: number }[];
  pendingAcknowledgement: string[];
}

export interface CheckStatus {
  userId: string;
  role: string;
  latest: { checkedOn: string; outcome: string; scope: string[]; notes: string | null; nextDueOn: string | null } | null;
  due: boolean;
}

export const AGREEMENT_KINDS = ["staff_nda", "partner_nda", "outsourcer_agreement", "client_confidentiality"] as const;
export const ROLES = ["admin", "partner", "lawyer", "paralegal", "compliance", "auditor", "records-clerk"] as const;
export const CHECK_SCOPES = ["identity", "employment", "education", "criminal_record", "credit", "professional_licence"] as const;
export const CHECK_OUTCOMES = ["clear", "concerns", "adverse"] as const;

/** The title in the console's language. */
export const titleOf = (x: { titleZh: string; titleEn: string }, lang: string) => (lang === "en" ? x.titleEn : x.titleZh);
