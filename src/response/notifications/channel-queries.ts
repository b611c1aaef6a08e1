/**
 * Listing notification channels for compliance (notification.manage): registered webhooks (never
 * their secrets, which are shown once at creation) and staff subscriptions.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";

export async function listWebhooks(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "webhook.list", targetType: "webhook", targetId: null };
    const decision = authorize(ctx.actor, "notification.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const hooks = await w.tx
      .selectFrom("webhooks")
      .select(["id", "url", "active", "created_by", "created_at"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(200)
      .execute();
    const ids = hooks.map((h) => h.id);
    const subs = ids.length
      ? await w.tx.selectFrom("notification_subscriptions").select(["webhook_id", "event_kind"]).where("webhook_id", "in", ids).execute()
      : [];
    w.record({ ...event, outcome: "success", details: { results: hooks.length } });
    return hooks.map((h) => ({
      id: h.id,
      url: h.url,
      active: h.active === 1,
      createdBy: h.created_by,
      createdAt: h.created_at,
      events: subs
        .filter((s) => s.webhook_id === h.id)
        .map((s) => s.event_kind)
        .sort(),
    }));
  });
}

export async function listSubscriptions(services: Services, ctx: RequestContext) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "notification.subscriptions.list", targetType: "user", targetId: null };
    const decision = authorize(ctx.actor, "notification.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx
      .selectFrom("notification_subscriptions")
      .select(["id", "user_id", "event_kind", "email", "created_at"])
      .where("user_id", "is not", null)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(500)
      .execute();
    w.record({ ...event, outcome: "success", details: { results: rows.length } });
    return rows.map((r) => ({ id: r.id, userId: r.user_id!, event: r.event_kind, email: r.email === 1, createdAt: r.created_at }));
  });
}
