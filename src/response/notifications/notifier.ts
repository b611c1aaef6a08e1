/**
 * Fan-out of an event to its subscribers, inside the transaction that produced the event (an
 * outbox): an in-app row per subscribed user, a sealed email for those who asked for one, and a
 * queued webhook delivery per subscribed webhook. Sending happens later, in deliverDue.
 *
 * A payload is built from an allow-list: ids, codes, severity, times and links. Nothing a caller
 * passes beyond those reaches a message.
 */
import { sealText } from "../../vault/sealed-text.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Severity } from "../detection/rules.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Vault } from "../../vault/vault.js";

export const EVENT_KINDS = [
  "alert.raised",
  "incident.opened",
  "request.reminder",
  "request.overdue",
  "client.corrected",
  "drill.due",
  "partner.attention",
  "finding.attention",
  "policy.review_due",
  "training.due",
  "paper.overdue",
  "approval.requested",
  "approval.decided",
  "break_glass.opened",
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Alerts below this severity notify nobody. */
export const NOTIFY_MIN_SEVERITY: Severity = "high";

export type NotificationEvent =
  | { kind: "alert.raised"; alertId: string; ruleCode: string; severity: string; userId: string | null; at: string }
  | { kind: "incident.opened"; incidentId: string; severity: string; category: string; source: string; at: string }
  /** A client request entering its reminder window, or past its deadline (src/rights/requests/request-reminders.ts). */
  | { kind: "request.reminder" | "request.overdue"; requestId: string; requestType: string; status: string; dueDate: string; at: string }
  /** A client's correction request was applied (DSR-2): the teams of the client's open matters learn which fields changed. */
  | { kind: "client.corrected"; clientId: string; requestId: string; fields: readonly string[]; at: string }
  /** No incident drill within the firm's interval (src/governance/jobs/drill-reminder-job.ts). */
  | { kind: "drill.due"; lastHeldOn: string | null; dueFrom: string | null; intervalDays: number; at: string }
  /** A partner contract expiring soon, a re-assessment overdue, or an active partner never assessed (src/governance/jobs/partner-attention-job.ts). */
  | { kind: "partner.attention"; partnerId: string; reason: string; dueOn: string | null; at: string }
  /** An assessment or audit finding due within 7 days or overdue (src/governance/jobs/finding-reminders-job.ts). */
  | { kind: "finding.attention"; findingId: string; reason: "due_soon" | "overdue"; dueOn: string; at: string }
  /** An internal policy's periodic review falls due within 30 days or is overdue (src/governance/jobs/policy-review-job.ts). */
  | { kind: "policy.review_due"; policyId: string; dueOn: string; overdue: boolean; at: string }
  /** One's training is due within 7 days or overdue (src/governance/jobs/training-reminder-job.ts). */
  | { kind: "training.due"; courseId: string; dueOn: string; overdue: boolean; at: string }
  /** A paper file past its check-out's due day, told to the archive keepers (src/governance/jobs/paper-overdue-job.ts). */
  | { kind: "paper.overdue"; checkoutId: string; fileId: string; fileCode: string; dueOn: string; at: string }
  /** A new approval request, told to the subscribed staff who may decide it (src/access/approvals/approval-notices.ts). */
  | { kind: "approval.requested"; approvalId: string; approvalKind: string; requesterId: string; at: string }
  /** An approval request decided (approved or rejected), told to its requester. */
  | { kind: "approval.decided"; approvalId: string; approvalKind: string; status: string; at: string }
  /** Someone opened break-glass access (src/access/break-glass/break-glass-commands.ts); no client named. */
  | { kind: "break_glass.opened"; breakGlassId: string; userId: string; expiresAt: string; at: string };

export interface NotificationPayload {
  id: string;
  kind: EventKind;
  occurredAt: string;
  data: Record<string, string | null>;
  /** Path under the API; a reader follows it with their own credentials. */
  link: string;
}

export function payloadOf(id: string, event: NotificationEvent): NotificationPayload {
  if (event.kind === "alert.raised") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { alertId: event.alertId, ruleCode: event.ruleCode, severity: event.severity, userId: event.userId },
      link: `/api/v1/alerts?status=new&ruleCode=${event.ruleCode}`,
    };
  }
  if (event.kind === "incident.opened") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { incidentId: event.incidentId, severity: event.severity, category: event.category, source: event.source },
      link: `/api/v1/incidents/${event.incidentId}`,
    };
  }
  if (event.kind === "client.corrected") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      // Field names only (codes such as "address"), never their values.
      data: { clientId: event.clientId, requestId: event.requestId, fields: event.fields.join(",") },
      link: `/api/v1/clients/${event.clientId}`,
    };
  }
  if (event.kind === "finding.attention") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { findingId: event.findingId, reason: event.reason, dueOn: event.dueOn },
      link: `/api/v1/assessments/findings/${event.findingId}`,
    };
  }
  if (event.kind === "partner.attention") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { partnerId: event.partnerId, reason: event.reason, dueOn: event.dueOn },
      link: `/api/v1/partners/${event.partnerId}`,
    };
  }
  if (event.kind === "paper.overdue") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      // The label code and the due day: no title, no client, no borrower's name.
      data: { checkoutId: event.checkoutId, fileId: event.fileId, fileCode: event.fileCode, dueDate: event.dueOn },
      link: "/api/v1/paper/checkouts?overdue=true",
    };
  }
  if (event.kind === "training.due") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { courseId: event.courseId, dueOn: event.dueOn, overdue: String(event.overdue) },
      link: "/api/v1/training/mine",
    };
  }
  if (event.kind === "policy.review_due") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { policyId: event.policyId, dueOn: event.dueOn, overdue: String(event.overdue) },
      link: `/api/v1/policies/${event.policyId}`,
    };
  }
  if (event.kind === "approval.requested" || event.kind === "approval.decided") {
    const data: Record<string, string | null> =
      event.kind === "approval.requested"
        ? { approvalId: event.approvalId, approvalKind: event.approvalKind, requesterId: event.requesterId }
        : { approvalId: event.approvalId, approvalKind: event.approvalKind, status: event.status };
    return { id, kind: event.kind, occurredAt: event.at, data, link: `/api/v1/approvals/${event.approvalId}` };
  }
  if (event.kind === "break_glass.opened") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { breakGlassId: event.breakGlassId, userId: event.userId, expiresAt: event.expiresAt },
      link: "/api/v1/break-glass",
    };
  }
  if (event.kind === "drill.due") {
    return {
      id,
      kind: event.kind,
      occurredAt: event.at,
      data: { lastHeldOn: event.lastHeldOn, dueFrom: event.dueFrom, intervalDays: String(event.intervalDays) },
      link: "/api/v1/drills",
    };
  }
  return {
    id,
    kind: event.kind,
    occurredAt: event.at,
    data: { requestId: event.requestId, requestType: event.requestType, status: event.status, dueDate: event.dueDate },
    link: `/api/v1/requests/${event.requestId}`,
  };
}

export function emailText(p: NotificationPayload, baseUrl = process.env.CUSTODIA_PUBLIC_URL ?? ""): { subject: string; body: string } {
  const facts = Object.entries(p.data)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");
  return {
    subject: `Custodia: ${p.kind}${p.data.severity ? ` (${p.data.severity})` : p.data.dueDate ? ` (${p.data.dueDate})` : ""}`,
    body: `${p.kind} at ${p.occurredAt}\n${facts}\n\n${baseUrl}${p.link}\n`,
  };
}

/** Queues one email (recipient and text sealed) for deliverDue. */
export async function queueEmail(tx: Tx, vault: Vault, mail: { to: string; subject: string; body: string; purpose: string }, now: string): Promise<string> {
  const id = uuidv7();
  await tx
    .insertInto("email_outbox")
    .values({
      id,
      to_ct: sealText(vault, "email_outbox", id, "to", mail.to),
      subject_ct: sealText(vault, "email_outbox", id, "subject", mail.subject),
      body_ct: sealText(vault, "email_outbox", id, "body", mail.body),
      purpose: mail.purpose,
      attempts: 0,
      next_attempt_at: now,
      last_error: null,
      sent_at: null,
      failed_at: null,
      created_at: now,
    })
    .execute();
  return id;
}

/** Returns how many recipients were queued. */
export async function notify(tx: Tx, vault: Vault, event: NotificationEvent): Promise<number> {
  const subscriptions = await tx
    .selectFrom("notification_subscriptions as s")
    .leftJoin("users as u", "u.id", "s.user_id")
    .leftJoin("webhooks as w", "w.id", "s.webhook_id")
    .select(["s.user_id", "s.webhook_id", "s.email", "u.email as userEmail", "u.status as userStatus", "w.active as webhookActive"])
    .where("s.event_kind", "=", event.kind)
    .execute();
  const now = new Date().toISOString();
  let queued = 0;
  const users = new Set<string>();
  const hooks = new Set<string>();
  for (const s of subscriptions) {
    const id = uuidv7();
    const payload = payloadOf(id, event);
    if (s.user_id && s.userStatus === "active" && !users.has(s.user_id)) {
      users.add(s.user_id);
      await tx
        .insertInto("notifications")
        .values({ id, user_id: s.user_id, event_kind: event.kind, payload: JSON.stringify(payload), created_at: now, read_at: null })
        .execute();
      if (s.email === 1 && s.userEmail) await queueEmail(tx, vault, { to: s.userEmail, ...emailText(payload), purpose: "notification" }, now);
      queued++;
    } else if (s.webhook_id && s.webhookActive === 1 && !hooks.has(s.webhook_id)) {
      hooks.add(s.webhook_id);
      await tx
        .insertInto("webhook_deliveries")
        .values({
          id,
          webhook_id: s.webhook_id,
          event_kind: event.kind,
          body: JSON.stringify(payload),
          attempts: 0,
          next_attempt_at: now,
          last_status: null,
          last_error: null,
          delivered_at: null,
          failed_at: null,
          created_at: now,
        })
        .execute();
      queued++;
    }
  }
  return queued;
}

/** Notifies those of `userIds` who are subscribed to the event kind (and the subscribed webhooks); returns how many users. */
export async function notifySubscribers(tx: Tx, vault: Vault, event: NotificationEvent, userIds: readonly string[], now: string): Promise<number> {
  const subscribed = userIds.length
    ? (
        await tx
          .selectFrom("notification_subscriptions")
          .select("user_id")
          .where("event_kind", "=", event.kind)
          .where("user_id", "in", [...new Set(userIds)])
          .execute()
      ).map((s) => s.user_id!)
    : [];
  return notifyUsers(tx, vault, event, subscribed, now);
}

/**
 * Notifies named users (a request's owner, or compliance) rather than every subscriber: an in-app
 * row for each active user, an email for those subscribed to the event kind with email, and a
 * delivery to each webhook subscribed to it. Returns how many users were notified.
 */
export async function notifyUsers(tx: Tx, vault: Vault, event: NotificationEvent, userIds: readonly string[], now: string): Promise<number> {
  const ids = [...new Set(userIds)];
  const users = ids.length ? await tx.selectFrom("users").select(["id", "email"]).where("id", "in", ids).where("status", "=", "active").execute() : [];
  const subscriptions = await tx
    .selectFrom("notification_subscriptions as s")
    .leftJoin("webhooks as w", "w.id", "s.webhook_id")
    .select(["s.user_id", "s.webhook_id", "s.email", "w.active as webhookActive"])
    .where("s.event_kind", "=", event.kind)
    .execute();
  const wantsEmail = new Set(subscriptions.filter((s) => s.user_id && s.email === 1).map((s) => s.user_id!));
  for (const u of users) {
    const id = uuidv7();
    const payload = payloadOf(id, event);
    await tx
      .insertInto("notifications")
      .values({ id, user_id: u.id, event_kind: event.kind, payload: JSON.stringify(payload), created_at: now, read_at: null })
      .execute();
    if (wantsEmail.has(u.id)) await queueEmail(tx, vault, { to: u.email, ...emailText(payload), purpose: "notification" }, now);
  }
  for (const hook of new Set(subscriptions.filter((s) => s.webhook_id && s.webhookActive === 1).map((s) => s.webhook_id!))) {
    const id = uuidv7();
    await tx
      .insertInto("webhook_deliveries")
      .values({
        id,
        webhook_id: hook,
        event_kind: event.kind,
        body: JSON.stringify(payloadOf(id, event)),
        attempts: 0,
        next_attempt_at: now,
        last_status: null,
        last_error: null,
        delivered_at: null,
        failed_at: null,
        created_at: now,
      })
      .execute();
  }
  return users.length;
}
