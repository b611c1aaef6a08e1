/** Storage shapes of retention, destruction and anonymised statistics (migration 0008). */

export interface DbRetentionSchedule {
  record_class: string;
  /** matter_closed | relationship_ended | last_activity */
  trigger: string;
  /** years | months | days */
  period_unit: string;
  period_amount: number;
  /** 1: a seeded, editable default nobody has confirmed yet. */
  is_default: number;
  updated_at: string;
  updated_by: string | null;
}

export interface DbDestructionBatch {
  id: string;
  /** pending | approved | rejected | executed */
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  executed_at: string | null;
  certificate_id: string | null;
}

export interface DbDestructionBatchClient {
  batch_id: string;
  client_id: string;
}

export interface DbDestructionCertificate {
  id: string;
  batch_id: string;
  issued_at: string;
  method: string;
  /** JSON: { recordClass: count } */
  record_counts: string;
  /** JSON: client ids */
  client_ids: string;
  /** JSON: [{ clientId, reason }] */
  skipped: string;
  requested_by: string;
  /** JSON: [{ userId, decidedAt }] */
  approvers: string;
  /** JSON: [{ clientId, userIds }] */
  notify: string;
  audit_seq_from: number | null;
  audit_seq_to: number | null;
}

export interface DbRetentionStatistic {
  practice_area: string;
  year: number;
  clients: number;
  matters: number;
}

export interface RetentionTables {
  retention_schedules: DbRetentionSchedule;
  destruction_batches: DbDestructionBatch;
  destruction_batch_clients: DbDestructionBatchClient;
  destruction_certificates: DbDestructionCertificate;
  retention_statistics: DbRetentionStatistic;
}
