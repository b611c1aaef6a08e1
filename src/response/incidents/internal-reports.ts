/**
 * Internal reports of suspected misuse (AUD-4). Any signed-in staff member may report; an
 * anonymous report stores no reporter id, its audit event carries no actor and no request id (the
 * request log pairs request ids with addresses), and its time is kept to the hour. Descriptions and
 * investigation notes are sealed by the vault. Compliance (report.manage) triages and investigates.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited, runUnitOfWork, toTheHour, type UnitOfWorkContext } from "../../platform/audit/audited.js";
import { NotFoundError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";

export const REPORT_CATEGORIES = ["unauthorised_access", "data_taken_out", "sharing_credentials", "wall_breach", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];
export const REPORT_STATUSES = ["open", "investigating", "closed"] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

const binding = (table: string, id: string, field: string) => ({ table, recordId: id, field });
const seal = (services: Services, table: string, id: string, field: string, text: string) =>
  services.vault.sealSecret(binding(table, id, field), text).toString("base64");
const open = (services: Services, table: string, id: string, field: string, sealed: string) =>
  services.vault.openSecret(binding(table, id, field), Buffer.from(sealed, "base64"));

/** Any staff member may report: reporting must never depend on the role being reported about. */
export async function fileReport(
  services: Services,
  ctx: RequestContext,
  input: { category: ReportCategory; description: string; anonymous: boolean },
): Promise<{ id: string; status: ReportStatus }> {
  // An anonymous report's id and time hold the hour only: milliseconds could single out the reporter.
  const now = input.anonymous ? toTheHour(new Date()) : new Date();
  const id = uuidv7(now.getTime());
  const row = {
    id,
    reporter_id: input.anonymous ? null : ctx.actor.userId,
    category: input.category,
    description_ct: seal(services, "internal_reports", id, "description", input.description),
    status: "open",
    incident_id: null,
    created_at: now.toISOString(),
  };
  // Anonymous: the event names nobody and carries no request id (the request log pairs those with addresses).
  const unit: UnitOfWorkContext = input.anonymous
    ? { actor: { kind: "anonymous" }, requestId: null, purpose: null }
    : { actor: { kind: "staff", userId: ctx.actor.userId, role: ctx.actor.role }, requestId: ctx.requestId, purpose: null };
  await runUnitOfWork(services, unit, async (w) => {
    await w.tx.insertInto("internal_reports").values(row).execute();
    w.record({
      action: "report.file",
      outcome: "success",
      targetType: "report",
      targetId: id,
      details: { category: input.category, anonymous: input.anonymous },
    });
  });
  return { id, status: "open" };
}

export async function readReport(services: Services, ctx: RequestContext, id: string) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "report.read", targetType: "report", targetId: id };
    const decision = authorize(ctx.actor, "report.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("internal_reports").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Report"), event, "failure");
    const notes = await w.tx.selectFrom("internal_report_notes").selectAll().where("report_id", "=", id).orderBy("at").orderBy("id").execute();
    w.record({ ...event, outcome: "success" });
    return {
      id: row.id,
      reporterId: row.reporter_id,
      anonymous: row.reporter_id === null,
      category: row.category,
      status: row.status,
      incidentId: row.incident_id,
      createdAt: row.created_at,
      description: open(services, "internal_reports", row.id, "description", row.description_ct),
      notes: notes.map((n) => ({ authorId: n.author_id, at: n.at, text: open(services, "internal_report_notes", n.id, "note", n.note_ct) })),
    };
  });
}

/** Compliance moves the ticket, adds an investigation note and/or links it to an incident. */
export async function updateReport(
  services: Services,
  ctx: RequestContext,
  id: string,
  change: { status?: ReportStatus | undefined; note?: string | undefined; incidentId?: string | undefined },
) {
  await runAudited(services, ctx, async (w) => {
    const event = { action: "report.update", targetType: "report", targetId: id };
    const decision = authorize(ctx.actor, "report.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const row = await w.tx.selectFrom("internal_reports").select(["id", "status"]).where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Report"), event, "failure");
    if (change.incidentId) {
      const incident = await w.tx.selectFrom("incidents").select("id").where("id", "=", change.incidentId).executeTakeFirst();
      if (!incident) return w.refuse(NotFoundError("Incident"), event, "failure");
    }
    const set = { ...(change.status ? { status: change.status } : {}), ...(change.incidentId ? { incident_id: change.incidentId } : {}) };
    if (Object.keys(set).length) await w.tx.updateTable("internal_reports").set(set).where("id", "=", id).execute();
    if (change.note) {
      const noteId = uuidv7();
      await w.tx
        .insertInto("internal_report_notes")
        .values({
          id: noteId,
          report_id: id,
          author_id: ctx.actor.userId,
          note_ct: seal(services, "internal_report_notes", noteId, "note", change.note),
          at: new Date().toISOString(),
        })
        .execute();
    }
    w.record({
      ...event,
      outcome: "success",
      details: { from: row.status, to: change.status ?? row.status, incidentId: change.incidentId ?? null, note: change.note !== undefined },
    });
    return null;
  });
  return readReport(services, ctx, id);
}
