/**
 * The complaints register (CMP-1), newest first, for compliance (complaint.manage). Rows carry
 * codes, dates and flags only: the sealed description and contact details are opened one ticket
 * at a time (GET /complaints/{id}).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { ComplaintStatus } from "./complaints.js";

export interface ListedComplaint {
  id: string;
  channel: string;
  category: string;
  language: string;
  status: string;
  slaDueAt: string;
  overdue: boolean;
  incidentId: string | null;
  filedBy: string | null;
  /** Whether contact details were given (the details themselves stay sealed). */
  hasEmail: boolean;
  hasPhone: boolean;
  respondedAt: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** Keyset over `(created_at, id)`; an optional status filter. */
export async function listComplaints(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number; status?: ComplaintStatus | undefined },
  now = new Date(),
): Promise<Page<ListedComplaint>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "complaint.list", targetType: "complaint", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "complaint.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    let q = w.tx
      .selectFrom("complaints")
      .select([
        "id",
        "channel",
        "category",
        "language",
        "status",
        "sla_due_at",
        "incident_id",
        "filed_by",
        "email_ct",
        "phone_ct",
        "responded_at",
        "created_at",
        "closed_at",
      ]);
    if (page.status) q = q.where("status", "=", page.status);
    if (after) q = q.where((eb) => eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]));
    const rows = await q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute();
    const shown = rows.slice(0, page.limit);
    const at = now.toISOString();
    const items = shown.map((r) => ({
      id: r.id,
      channel: r.channel,
      category: r.category,
      language: r.language,
      status: r.status,
      slaDueAt: r.sla_due_at,
      overdue: r.status !== "responded" && r.status !== "closed" && r.sla_due_at < at,
      incidentId: r.incident_id,
      filedBy: r.filed_by,
      hasEmail: r.email_ct !== null,
      hasPhone: r.phone_ct !== null,
      respondedAt: r.responded_at,
      createdAt: r.created_at,
      closedAt: r.closed_at,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length, status: page.status ?? null } });
    const last = shown.at(-1);
    return { items, nextCursor: nextCursorOf(last && { createdAt: last.created_at, id: last.id }, rows.length > page.limit) };
  });
}
