/**
 * Notifications that work on day one (issue #15): each role starts subscribed (in-app; email stays
 * opt-in) to what it must act on. A default is offered once per user and event kind, recorded in
 * notification_defaults, so a user who unsubscribes stays unsubscribed through role changes and
 * later migrations, and a subscription someone already set (with email, say) is never touched.
 */
import type { Role } from "../../access/policy/roles.js";
import type { Db, Tx } from "../../platform/db/engine.js";
import { uuidv7 } from "../../platform/ids.js";
import type { EventKind } from "./notifier.js";

// Approvals are decided by the requester's supervisor (a partner or lawyer) or by compliance (APR-1),
// and asked for by client workers; role grants are asked for by the administrator.
export const DEFAULT_SUBSCRIPTIONS: Readonly<Record<Role, readonly EventKind[]>> = Object.freeze({
  compliance: ["alert.raised", "incident.opened", "break_glass.opened", "approval.requested", "approval.decided"],
  partner: ["approval.requested", "approval.decided"],
  lawyer: ["approval.requested", "approval.decided"],
  paralegal: ["approval.decided"],
  admin: ["approval.decided"],
  auditor: [],
  "records-clerk": [],
});

/** Subscribes a user to their role's defaults not offered before; returns the kinds newly subscribed. */
export async function applyDefaultSubscriptions(db: Db | Tx, user: { id: string; role: string }, now: string): Promise<EventKind[]> {
  const kinds = DEFAULT_SUBSCRIPTIONS[user.role as Role] ?? [];
  if (!kinds.length) return [];
  const offered = new Set(
    (await db.selectFrom("notification_defaults").select("event_kind").where("user_id", "=", user.id).execute()).map((r) => r.event_kind),
  );
  const subscribed = new Set(
    (await db.selectFrom("notification_subscriptions").select("event_kind").where("user_id", "=", user.id).execute()).map((r) => r.event_kind),
  );
  const added: EventKind[] = [];
  for (const kind of kinds.filter((k) => !offered.has(k))) {
    await db.insertInto("notification_defaults").values({ user_id: user.id, event_kind: kind, offered_at: now }).execute();
    if (subscribed.has(kind)) continue;
    await db
      .insertInto("notification_subscriptions")
      .values({ id: uuidv7(), event_kind: kind, user_id: user.id, webhook_id: null, email: 0, created_at: now })
      .execute();
    added.push(kind);
  }
  return added;
}
