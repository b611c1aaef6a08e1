/** Storage shape of accountability records (migration 0009). */

export interface DbAccountabilityRecord {
  id: string;
  user_id: string;
  rule_code: string;
  /** warning | training | suspension | dismissal | referral */
  sanction: string;
  decided_on: string;
  incident_id: string | null;
  report_id: string | null;
  recorded_by: string;
  created_at: string;
}

export interface AccountabilityTables {
  accountability_records: DbAccountabilityRecord;
}
