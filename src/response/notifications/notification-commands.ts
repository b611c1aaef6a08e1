/**
 * Managing channels (compliance, notification.manage): webhooks, subscriptions and the delivery
 * log. Every staff member reads and marks their own in-app notifications.
 */
import { sealText } from "../../vault/sealed-text.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { EventKind, NotificationPayload } from "./notifier.js";
import { newWebhookSecret } from "./signature.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** https anywhere; plain http only to this machine (a local relay or a test receiver). */
export function webhookUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "format";
  }
  if (u.username || u.password) return "format";
  if (u.protocol === "https:") return null;
  return u.protocol === "http:" && LOOPBACK.has(u.hostname) ? null : "https_required";
}

const guard = (w: AuditedWork, ctx: RequestContext, event: { action: string; targetType: string; targetId: string | null }) => {
  const decision = authorize(ctx.actor, "notification.manage");
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

/** The secret is returned once; only its sealed form is stored. */
export async function createWebhook(services: Services, ctx: RequestContext, input: { url: string; events: EventKind[] }) {
  const id = uuidv7();
  const secret = newWebhookSecret();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "webhook.create", targetType: "webhook", targetId: id };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const problem = webhookUrlProblem(input.url);
    if (problem)
      return w.refuse(
        ValidationError([
          { field: "url", code: problem === "format" ? "format" : "https_required", message: "Use an https URL (plain http only to a loopback address)." },
        ]),
        event,
        "failure",
      );
    const now = new Date().toISOString();
    await w.tx
      .insertInto("webhooks")
      .values({
        id,
        url: input.url,
        secret_ct: sealText(services.vault, "webhooks", id, "secret", secret),
        active: 1,
        created_by: ctx.actor.userId,
        created_at: now,
      })
      .execute();
    for (const kind of new Set(input.events)) {
      await w.tx
        .insertInto("notification_subscriptions")
        .values({ id: uuidv7(), event_kind: kind, user_id: null, webhook_id: id, email: 0, created_at: now })
        .execute();
    }
    w.record({ ...event, outcome: "success", details: { events: [...new Set(input.events)] } });
    return { id, url: input.url, events: [...new Set(input.events)], secret, createdAt: now };
  });
}

/** Subscribes a staff user to an event kind (in-app, and email when asked). */
export async function subscribeUser(services: Services, ctx: RequestContext, input: { userId: string; event: EventKind; email: boolean }) {
  const id = uuidv7();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "notification.subscribe", targetType: "user", targetId: input.userId };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const user = await w.tx.selectFrom("users").select("id").where("id", "=", input.userId).where("status", "=", "active").executeTakeFirst();
    if (!user) return w.refuse(ValidationError([{ field: "userId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
    await w.tx.deleteFrom("notification_subscriptions").where("user_id", "=", input.userId).where("event_kind", "=", input.event).execute();
    await w.tx
      .insertInto("notification_subscriptions")
      .values({ id, event_kind: input.event, user_id: input.userId, webhook_id: null, email: input.email ? 1 : 0, created_at: new Date().toISOString() })
      .execute();
    w.record({ ...event, outcome: "success", details: { event: input.event, email: input.email } });
    return { id, userId: input.userId, event: input.event, email: input.email };
  });
}

/** The caller's own notifications, newest first. Reading one's own inbox needs no permission. */
export async function listMyNotifications(services: Services, ctx: RequestContext, unreadOnly: boolean) {
  let q = services.engine.db.selectFrom("notifications").selectAll().where("user_id", "=", ctx.actor.userId);
  if (unreadOnly) q = q.where("read_at", "is", null);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(200).execute();
  return rows.map((r) => ({ id: r.id, kind: r.event_kind, createdAt: r.created_at, readAt: r.read_at, payload: JSON.parse(r.payload) as NotificationPayload }));
}

export async function markNotificationRead(services: Services, ctx: RequestContext, id: string): Promise<void> {
  const done = await services.engine.db
    .updateTable("notifications")
    .set({ read_at: new Date().toISOString() })
    .where("id", "=", id)
    .where("user_id", "=", ctx.actor.userId)
    .where("read_at", "is", null)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) {
    const mine = await services.engine.db
      .selectFrom("notifications")
      .select("id")
      .where("id", "=", id)
      .where("user_id", "=", ctx.actor.userId)
      .executeTakeFirst();
    if (!mine) throw NotFoundError("Notification");
  }
}

/** The delivery log of one webhook: each queued message with every attempt. */
export async function listDeliveries(services: Services, ctx: RequestContext, webhookId: string) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "webhook.deliveries.read", targetType: "webhook", targetId: webhookId };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const hook = await w.tx.selectFrom("webhooks").select("id").where("id", "=", webhookId).executeTakeFirst();
    if (!hook) return w.refuse(NotFoundError("Webhook"), event, "failure");
    const deliveries = await w.tx
      .selectFrom("webhook_deliveries")
      .selectAll()
      .where("webhook_id", "=", webhookId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(200)
      .execute();
    const ids = deliveries.map((d) => d.id);
    const attempts = ids.length ? await w.tx.selectFrom("webhook_attempts").selectAll().where("delivery_id", "in", ids).orderBy("attempt").execute() : [];
    w.record({ ...event, outcome: "success" });
    return deliveries.map((d) => ({
      id: d.id,
      kind: d.event_kind,
      attempts: d.attempts,
      nextAttemptAt: d.next_attempt_at,
      lastStatus: d.last_status,
      lastError: d.last_error,
      deliveredAt: d.delivered_at,
      failedAt: d.failed_at,
      createdAt: d.created_at,
      log: attempts
        .filter((a) => a.delivery_id === d.id)
        .map((a) => ({ attempt: a.attempt, at: a.at, status: a.status, error: a.error, durationMs: a.duration_ms })),
    }));
  });
}
