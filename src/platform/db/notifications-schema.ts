/** Storage shapes of notifications, complaints, accountability and post-incident review (migration 0009). */

export interface DbWebhook {
  id: string;
  /** https, or http to a loopback address only. */
  url: string;
  /** The HMAC secret, sealed by the vault (base64). */
  secret_ct: string;
  active: number;
  created_by: string;
  created_at: string;
}

export interface DbNotificationSubscription {
  id: string;
  /** alert.raised (severity ≥ high) | incident.opened | request.reminder | request.overdue | client.corrected */
  event_kind: string;
  user_id: string | null;
  webhook_id: string | null;
  /** 1: the user also gets an email. */
  email: number;
  created_at: string;
}

export interface DbNotification {
  id: string;
  user_id: string;
  event_kind: string;
  /** JSON: ids, codes, severity and links only. */
  payload: string;
  created_at: string;
  read_at: string | null;
}

export interface DbWebhookDelivery {
  id: string;
  webhook_id: string;
  event_kind: string;
  /** The exact JSON body sent (and signed) on every attempt. */
  body: string;
  attempts: number;
  /** NULL once delivered or given up. */
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  failed_at: string | null;
  created_at: string;
}

export interface DbWebhookAttempt {
  id: string;
  delivery_id: string;
  attempt: number;
  at: string;
  status: number | null;
  /** An error class code (timeout, network), never a response body. */
  error: string | null;
  duration_ms: number;
}

export interface DbEmailOutbox {
  id: string;
  to_ct: string;
  subject_ct: string;
  body_ct: string;
  /** notification | complaint_response */
  purpose: string;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  sent_at: string | null;
  failed_at: string | null;
  created_at: string;
}

export interface DbComplaintCategory {
  code: string;
  sla_days: number;
}

export interface DbComplaint {
  id: string;
  /** portal | staff */
  channel: string;
  category: string;
  language: string;
  description_ct: string;
  email_ct: string | null;
  phone_ct: string | null;
  /** open | investigating | responded | closed */
  status: string;
  sla_due_at: string;
  incident_id: string | null;
  filed_by: string | null;
  response_ct: string | null;
  responded_at: string | null;
  responded_by: string | null;
  /** 1: the response was queued to the complainant's email. */
  response_sent: number;
  created_at: string;
  closed_at: string | null;
}

export interface DbComplaintNote {
  id: string;
  complaint_id: string;
  author_id: string;
  note_ct: string;
  at: string;
}

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

export interface NotificationTables {
  webhooks: DbWebhook;
  notification_subscriptions: DbNotificationSubscription;
  notifications: DbNotification;
  webhook_deliveries: DbWebhookDelivery;
  webhook_attempts: DbWebhookAttempt;
  email_outbox: DbEmailOutbox;
  complaint_categories: DbComplaintCategory;
  complaints: DbComplaint;
  complaint_notes: DbComplaintNote;
  accountability_records: DbAccountabilityRecord;
  incident_reviews: DbIncidentReview;
  corrective_actions: DbCorrectiveAction;
  drills: DbDrill;
}
