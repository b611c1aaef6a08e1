/** Storage shapes of investigations, awards and their internal publication (migration 0033). */

export interface DbAccountabilityCase {
  id: string;
  subject_id: string;
  /** The subject's role when the case was opened: what a publication may say instead of the name. */
  subject_role: string;
  rule_code: string;
  /** opened | investigating | decided | published | closed */
  status: string;
  incident_id: string | null;
  report_id: string | null;
  /** Sealed findings (free text about a person). */
  findings_ct: string | null;
  /** A sanction code, or no_violation. */
  outcome: string | null;
  decided_by: string | null;
  decided_on: string | null;
  /** The accountability record the decision wrote (a sanction only). */
  record_id: string | null;
  publication_id: string | null;
  opened_by: string;
  opened_at: string;
  updated_at: string;
}

export interface DbStaffAward {
  id: string;
  user_id: string;
  /** confidentiality_star | privacy_champion | incident_responder */
  award_code: string;
  /** A quarter, "2026-Q3". */
  period: string;
  citation_ct: string | null;
  awarded_on: string;
  awarded_by: string;
  publication_id: string | null;
  created_at: string;
}

/** What the firm announces internally: an award by name, a sanction by role and rule only. */
export interface DbAccountabilityPublication {
  id: string;
  /** award | sanction */
  kind: string;
  published_on: string;
  published_by: string;
  /** Awards only. */
  user_id: string | null;
  /** Sanctions only: the role, never the person. */
  subject_role: string | null;
  rule_code: string | null;
  sanction: string | null;
  award_code: string | null;
  period: string | null;
  created_at: string;
}

export interface AccountabilityCaseTables {
  accountability_cases: DbAccountabilityCase;
  staff_awards: DbStaffAward;
  accountability_publications: DbAccountabilityPublication;
}
