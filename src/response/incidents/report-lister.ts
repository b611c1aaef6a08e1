/**
 * The triage queue of internal reports (AUD-4), newest first, for compliance (report.manage).
 * Rows carry codes, ids and times only: the sealed description and notes are opened one report
 * at a time (GET /reports/{id}), so a list read never decrypts a reporter's words in bulk.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { decodeCursor, nextCursorOf, type Page } from "../../platform/db/keyset-cursor.js";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { ReportStatus } from "./internal-reports.js";

export interface ListedReport {
  id: string;
  /** Null for an anonymous report. */
  reporterId: string | null;
  anonymous: boolean;
  category: string;
  status: string;
  incidentId: string | null;
  createdAt: string;
  notes: number;
}

/** Keyset over `(created_at, id)`; an optional status filter (a code, never free text). */
export async function listReports(
  services: Services,
  ctx: RequestContext,
  page: { cursor?: string | undefined; limit: number; status?: ReportStatus | undefined },
): Promise<Page<ListedReport>> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "report.list", targetType: "report", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "report.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const after = page.cursor ? decodeCursor(page.cursor) : null;
    if (after instanceof AppError) return w.refuse(after, event, "failure");
    let q = w.tx.selectFrom("internal_reports").select(["id", "reporter_id", "category", "status", "incident_id", "created_at"]);
    if (page.status) q = q.where("status", "=", page.status);
    if (after) q = q.where((eb) => eb.or([eb("created_at", "<", after.createdAt), eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)])]));
    const rows = await q
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(page.limit + 1)
      .execute();
    const shown = rows.slice(0, page.limit);
    const ids = shown.map((r) => r.id);
    const counts = ids.length
      ? await w.tx
          .selectFrom("internal_report_notes")
          .select(["report_id"])
          .select((eb) => eb.fn.countAll<string | number>().as("n"))
          .where("report_id", "in", ids)
          .groupBy("report_id")
          .execute()
      : [];
    const notes = new Map(counts.map((c) => [c.report_id, Number(c.n)]));
    const items = shown.map((r) => ({
      id: r.id,
      reporterId: r.reporter_id,
      anonymous: r.reporter_id === null,
      category: r.category,
      status: r.status,
      incidentId: r.incident_id,
      createdAt: r.created_at,
      notes: notes.get(r.id) ?? 0,
    }));
    w.record({ ...event, outcome: "success", details: { results: items.length, status: page.status ?? null } });
    const last = shown.at(-1);
    return { items, nextCursor: nextCursorOf(last && { createdAt: last.created_at, id: last.id }, rows.length > page.limit) };
  });
}
