/**
 * Storage shapes of training and agreements (issue #14, TRN-1..3; migration 0031). Dates are
 * YYYY-MM-DD, instants ISO-8601 UTC, booleans 0/1, lists JSON text: the same on both engines.
 */

/** A course. `required_for_sensitive` courses are the training half of the L3+ access condition. */
export interface DbTrainingCourse {
  id: string;
  title_zh: string;
  title_en: string;
  /** Markdown text. */
  content_zh: string;
  content_en: string;
  /** An attachment in the document store (src/records/documents/), by id only. */
  document_id: string | null;
  /** A completion stays current this many months. */
  validity_months: number;
  /** Percentage of questions answered correctly needed to pass (1–100). */
  pass_mark: number;
  required_for_sensitive: number;
  /** active | retired */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** A quiz question: data, graded on the server; `correct` never leaves it before submission. */
export interface DbTrainingQuestion {
  id: string;
  course_id: string;
  position: number;
  text_zh: string;
  text_en: string;
  /** JSON array of { zh, en }. */
  options: string;
  /** JSON array of the correct option indexes (one or more). */
  correct: string;
}

/** Who must take a course by when: everyone in a role, or one person. */
export interface DbTrainingAssignment {
  id: string;
  course_id: string;
  /** role | user */
  target_kind: string;
  target_role: string | null;
  target_user_id: string | null;
  due_on: string;
  assigned_by: string;
  created_at: string;
  cancelled_at: string | null;
}

export interface DbTrainingAttempt {
  id: string;
  course_id: string;
  user_id: string;
  /** JSON: { [questionId]: number[] } — the chosen option indexes. */
  answers: string;
  /** Percentage correct (0–100). */
  score: number;
  passed: number;
  submitted_at: string;
}

/** A current completion counts until `expires_at` (exclusive). */
export interface DbTrainingCompletion {
  id: string;
  course_id: string;
  user_id: string;
  /** quiz (a passed attempt) | recorded (compliance, for an in-person session) */
  source: string;
  attempt_id: string | null;
  completed_at: string;
  expires_at: string;
  recorded_by: string;
  recorded_at: string;
}

/** One published text of an agreement kind; the highest version of a kind is its current one. */
export interface DbAgreementVersion {
  id: string;
  /** staff_nda | partner_nda | outsourcer_agreement | client_confidentiality */
  kind: string;
  version: number;
  title_zh: string;
  title_en: string;
  text_zh: string;
  text_en: string;
  published_by: string;
  published_at: string;
}

/**
 * Someone acknowledged kind+version. Where from (IP, user-agent summary) is staff personal data,
 * so both are sealed with the firm-level secret key (sealed-text.ts); null when recorded by compliance.
 */
export interface DbAgreementAcknowledgement {
  id: string;
  user_id: string;
  kind: string;
  version: number;
  acknowledged_at: string;
  /** electronic (the person, in the console or API) | recorded (compliance, a signed paper copy) */
  source: string;
  ip_ct: string | null;
  user_agent_ct: string | null;
  recorded_by: string;
}

/** A background check of a person. The outcome notes are free text about a person: sealed. */
export interface DbBackgroundCheck {
  id: string;
  user_id: string;
  checked_on: string;
  /** identity | employment | education | criminal_record | credit | professional_licence (JSON array) */
  scope: string;
  /** clear | concerns | adverse */
  outcome: string;
  notes_ct: string | null;
  next_due_on: string | null;
  recorded_by: string;
  created_at: string;
}

export interface TrainingTables {
  training_courses: DbTrainingCourse;
  training_questions: DbTrainingQuestion;
  training_assignments: DbTrainingAssignment;
  training_attempts: DbTrainingAttempt;
  training_completions: DbTrainingCompletion;
  agreement_versions: DbAgreementVersion;
  agreement_acknowledgements: DbAgreementAcknowledgement;
  background_checks: DbBackgroundCheck;
}
