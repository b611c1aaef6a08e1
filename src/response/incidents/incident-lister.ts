/**
 * The incident register (INC-1), newest first, for compliance. Rows carry codes, grades and
 * counts only; the full record (timeline, tasks, duties) is read one incident at a time.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";

export interface ListedIncident {
  id: string;
  source: string;
  category: string;
  cause: string;
  severity: string;
  status: string;
  peopleAffected: number;
  awareAt: string;
  alertId: string | null;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
}

/**
 * Keyset over `(opened_at, id)`. Listing takes `incident.manage` (compliance): the register shows
 * every incident at once, while partners (`incident.read`) reach one incident they were pointed to.
 */
export async function listIncidents(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number },
): Promise<Page<ListedIncident>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "incident.list", targetType: "incident", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "incident.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    let q = w.tx.selectFrom("incidents").selectAll();
    if (after) q = q.where((eb) => eb.or([eb("opened_at", "<", after.createdAt), eb.and([eb("opened_at", "=", after.createdAt), eb("id", "<", after.id)])]));
    const rows = await q
      .orderBy("opened_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute();
    const shown = rows.slice(0, page.limit);
    const items = shown.map((r) => ({
      id: r.id,
      source: r.source,
      category: r.category,
      cause: r.cause,
      severity: r.severity,
      status: r.status,
      peopleAffected: Number(r.people_affected),
      awareAt: r.aware_at,
      alertId: r.alert_id,
      openedBy: r.opened_by,
      openedAt: r.opened_at,
      closedAt: r.closed_at,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    const last = shown.at(-1);
    return { items, nextCursor: nextCursorOf(last && { createdAt: last.opened_at, id: last.id }, rows.length > page.limit) };
  });
}
