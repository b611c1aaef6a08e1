/** Storage shapes of internal policies and the law-change log (migration 0033). */

export interface DbPolicy {
  id: string;
  /** A short stable code ("privacy_policy", "device_use"). */
  code: string;
  title_zh: string;
  title_en: string;
  owner_id: string;
  review_months: number;
  /** Set when a version is published or the policy reviewed: then + review_months. */
  next_review_on: string | null;
  /** The published version staff attest; null until the first is published. */
  current_version: number | null;
  /** draft | published | retired */
  status: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface DbPolicyVersion {
  policy_id: string;
  version: number;
  text_zh: string;
  text_en: string;
  change_note: string;
  /** Null while a draft. */
  published_on: string | null;
  published_by: string | null;
  created_by: string;
  created_at: string;
}

export interface DbPolicyAttestation {
  policy_id: string;
  version: number;
  user_id: string;
  attested_at: string;
}

export interface DbLawChangeReview {
  id: string;
  reviewed_on: string;
  /** The law or regulation ("个人信息保护法", "GB/T 35273-2020"). */
  law: string;
  summary: string;
  /** JSON array of policy ids. */
  affected_policy_ids: string;
  /** no_change | amend | new_policy | retire */
  decision: string;
  reviewer_id: string;
  created_at: string;
}

export interface PolicyTables {
  policies: DbPolicy;
  policy_versions: DbPolicyVersion;
  policy_attestations: DbPolicyAttestation;
  law_change_reviews: DbLawChangeReview;
}
