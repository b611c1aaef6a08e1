/** Storage shapes of post-incident reviews, corrective actions and drills (migration 0009). */

export interface DbIncidentReview {
  incident_id: string;
  root_cause: string;
  narrative_ct: string;
  /** JSON array of short texts (no client names). */
  lessons: string;
  updated_by: string;
  updated_at: string;
}

export interface DbCorrectiveAction {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string;
  due_at: string;
  /** open | implemented | closed */
  status: string;
  implemented_at: string | null;
  verified_by: string | null;
  closed_at: string | null;
  created_at: string;
}

export interface DbDrill {
  id: string;
  scenario: string;
  held_on: string;
  /** JSON array of user ids. */
  participants: string;
  findings: string;
  recorded_by: string;
  created_at: string;
}

export interface IncidentReviewTables {
  incident_reviews: DbIncidentReview;
  corrective_actions: DbCorrectiveAction;
  drills: DbDrill;
}
