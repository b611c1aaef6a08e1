/**
 * One's own notification subscriptions (issue #15): anyone may turn off any of theirs, or ask for
 * email too; turning one on is limited to what the role gets by default, since a notification
 * names records (an alert, an incident) the role may have no business hearing about. Compliance
 * still manages anyone's with notification.manage (notification-commands.ts).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { DEFAULT_SUBSCRIPTIONS } from "./default-subscriptions.js";
import { EVENT_KINDS, type EventKind } from "./notifier.js";

export interface OwnSubscription {
  event: EventKind;
  subscribed: boolean;
  email: boolean;
  /** The role gets it by default, so the user may turn it back on. */
  offered: boolean;
}

async function ownSubscriptions(tx: Tx, ctx: RequestContext): Promise<OwnSubscription[]> {
  const rows = await tx.selectFrom("notification_subscriptions").select(["event_kind", "email"]).where("user_id", "=", ctx.actor.userId).execute();
  const offered = new Set<string>(DEFAULT_SUBSCRIPTIONS[ctx.actor.role]);
  const mine = new Map(rows.map((r) => [r.event_kind, r.email === 1]));
  return EVENT_KINDS.filter((k) => offered.has(k) || mine.has(k)).map((event) => ({
    event,
    subscribed: mine.has(event),
    email: mine.get(event) ?? false,
    offered: offered.has(event),
  }));
}

export const listOwnSubscriptions = (services: Services, ctx: RequestContext): Promise<OwnSubscription[]> =>
  runAudited(services, ctx, async (w) => {
    const items = await ownSubscriptions(w.tx, ctx);
    w.record({
      action: "notification.list_own_subscriptions",
      targetType: "user",
      targetId: ctx.actor.userId,
      outcome: "success",
      details: { results: items.length },
    });
    return items;
  });

export async function setOwnSubscription(services: Services, ctx: RequestContext, input: { event: EventKind; subscribed: boolean; email: boolean }) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "notification.set_own_subscription", targetType: "user", targetId: ctx.actor.userId };
    const current = (await ownSubscriptions(w.tx, ctx)).find((s) => s.event === input.event);
    if (input.subscribed && !current?.subscribed && !current?.offered)
      return w.refuse(
        ValidationError([{ field: "event", code: "not_offered", message: "Your role is not subscribed to this by default; ask compliance." }]),
        { ...event, details: { event: input.event } },
        "failure",
      );
    await w.tx.deleteFrom("notification_subscriptions").where("user_id", "=", ctx.actor.userId).where("event_kind", "=", input.event).execute();
    if (input.subscribed)
      await w.tx
        .insertInto("notification_subscriptions")
        .values({
          id: uuidv7(),
          event_kind: input.event,
          user_id: ctx.actor.userId,
          webhook_id: null,
          email: input.email ? 1 : 0,
          created_at: new Date().toISOString(),
        })
        .execute();
    w.record({ ...event, outcome: "success", details: { event: input.event, subscribed: input.subscribed, email: input.subscribed && input.email } });
    return (await ownSubscriptions(w.tx, ctx)).find((s) => s.event === input.event) ?? { event: input.event, subscribed: false, email: false, offered: false };
  });
}
