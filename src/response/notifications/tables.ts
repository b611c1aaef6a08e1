/** Storage shapes of notification channels, the in-app notifications and the email outbox (migration 0009). */

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

/** A role's default subscription offered once to a user (migration 0040): never offered again, so an opt-out stands. */
export interface DbNotificationDefault {
  user_id: string;
  event_kind: string;
  offered_at: string;
}

export interface NotificationTables {
  webhooks: DbWebhook;
  notification_subscriptions: DbNotificationSubscription;
  notifications: DbNotification;
  webhook_deliveries: DbWebhookDelivery;
  webhook_attempts: DbWebhookAttempt;
  email_outbox: DbEmailOutbox;
  notification_defaults: DbNotificationDefault;
}
