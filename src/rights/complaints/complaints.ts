/**
 * Complaints (CMP-1). Clients complain through the public portal (same proof-of-work and
 * per-address counters as requests), staff record complaints received otherwise. Each is a ticket
 * with an SLA due date (days per category, as data), sealed description, contact details and
 * investigation notes, a recorded response (emailed when an address was given), and an optional
 * link to an incident. Compliance (complaint.manage) handles them.
 */
import { openText, sealText } from "../../vault/sealed-text.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import { queueEmail } from "../../response/notifications/notifier.js";
import { runPortalAudited } from "../requests/portal-audited.js";
import { countAgainst, spendProof } from "../requests/portal-intake.js";
import { PortalRateLimitedError, ProofInvalidError, type RequestSettings } from "../requests/request.js";
import type { Services } from "../../platform/services.js";

export const COMPLAINT_CATEGORIES = ["data_handling", "request_handling", "disclosure", "security", "service", "other"] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];
export const COMPLAINT_STATUSES = ["open", "investigating", "responded", "closed"] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const ComplaintClosedError = () => new AppError(409, "complaint_closed", "The complaint is closed.");

export interface ComplaintInput {
  category: ComplaintCategory;
  description: string;
  email?: string | undefined;
  phone?: string | undefined;
  language: "zh-CN" | "en";
}

const T = "complaints";

async function insertComplaint(services: Services, tx: Tx, id: string, channel: "portal" | "staff", input: ComplaintInput, filedBy: string | null, now: Date) {
  const category = await tx.selectFrom("complaint_categories").select("sla_days").where("code", "=", input.category).executeTakeFirstOrThrow();
  const at = now.toISOString();
  const slaDueAt = new Date(now.getTime() + category.sla_days * 86_400_000).toISOString();
  await tx
    .insertInto("complaints")
    .values({
      id,
      channel,
      category: input.category,
      language: input.language,
      description_ct: sealText(services.vault, T, id, "description", input.description),
      email_ct: input.email ? sealText(services.vault, T, id, "email", input.email) : null,
      phone_ct: input.phone ? sealText(services.vault, T, id, "phone", input.phone) : null,
      status: "open",
      sla_due_at: slaDueAt,
      incident_id: null,
      filed_by: filedBy,
      response_ct: null,
      responded_at: null,
      responded_by: null,
      response_sent: 0,
      created_at: at,
      closed_at: null,
    })
    .execute();
  return slaDueAt;
}

/** The public intake: the answer gives a reference and the date by which the firm answers. */
export async function fileComplaintFromPortal(
  services: Services,
  settings: RequestSettings,
  httpRequestId: string,
  address: string,
  input: ComplaintInput & { proof: { challenge: string; nonce: string } },
) {
  return runPortalAudited(services, httpRequestId, async (w) => {
    const event = { action: "complaint.file", targetType: "complaint", targetId: null };
    if (!(await spendProof(services, settings, w.tx, input.proof))) return w.refuse(ProofInvalidError(), event, "denied");
    const now = settings.now();
    if (!(await countAgainst(w.tx, `cmp-ip:${services.vault.mac("portal.address", address)}`, settings.perAddressPerHour, 3600_000, now))) {
      return w.refuse(PortalRateLimitedError(), { ...event, details: { limit: "address" } });
    }
    const id = uuidv7();
    const slaDueAt = await insertComplaint(services, w.tx, id, "portal", input, null, now);
    w.record({
      ...event,
      targetId: id,
      outcome: "success",
      details: { channel: "portal", category: input.category, email: Boolean(input.email), phone: Boolean(input.phone) },
    });
    return {
      complaintId: id,
      slaDueAt,
      message: input.language === "en" ? "Complaint received. We will answer by the date given." : "投诉已收到，本所将在所示日期前答复。",
    };
  });
}

const guard = (w: AuditedWork, ctx: RequestContext, event: { action: string; targetType: string; targetId: string | null }) => {
  const decision = authorize(ctx.actor, "complaint.manage");
  return decision.effect === "deny" ? w.deny(decision, event) : null;
};

/** A complaint received by letter, phone or in person, recorded by compliance. */
export async function fileComplaintByStaff(services: Services, ctx: RequestContext, input: ComplaintInput) {
  const id = uuidv7();
  await runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "complaint.file", targetType: "complaint", targetId: id };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    await insertComplaint(services, w.tx, id, "staff", input, ctx.actor.userId, new Date());
    w.record({
      ...event,
      outcome: "success",
      details: { channel: "staff", category: input.category, email: Boolean(input.email), phone: Boolean(input.phone) },
    });
    return null;
  });
  return readComplaint(services, ctx, id);
}

export async function readComplaint(services: Services, ctx: RequestContext, id: string, now = new Date()) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "complaint.read", targetType: "complaint", targetId: id };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("complaints").selectAll().where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Complaint"), event, "failure");
    const notes = await w.tx.selectFrom("complaint_notes").selectAll().where("complaint_id", "=", id).orderBy("at").orderBy("id").execute();
    w.record({ ...event, outcome: "success" });
    const open = (field: string, sealed: string | null) => (sealed === null ? null : openText(services.vault, T, id, field, sealed));
    return {
      id,
      channel: row.channel,
      category: row.category,
      language: row.language,
      status: row.status,
      slaDueAt: row.sla_due_at,
      overdue: row.status !== "responded" && row.status !== "closed" && row.sla_due_at < now.toISOString(),
      incidentId: row.incident_id,
      filedBy: row.filed_by,
      createdAt: row.created_at,
      closedAt: row.closed_at,
      description: open("description", row.description_ct)!,
      email: open("email", row.email_ct),
      phone: open("phone", row.phone_ct),
      response: row.response_ct
        ? { text: open("response", row.response_ct)!, at: row.responded_at!, by: row.responded_by!, emailed: row.response_sent === 1 }
        : null,
      notes: notes.map((n) => ({ authorId: n.author_id, at: n.at, text: openText(services.vault, "complaint_notes", n.id, "note", n.note_ct) })),
    };
  });
}

/** Status, a sealed investigation note, and/or a link to an incident. */
export async function updateComplaint(
  services: Services,
  ctx: RequestContext,
  id: string,
  change: { status?: ComplaintStatus | undefined; note?: string | undefined; incidentId?: string | undefined },
) {
  await runAudited(services, ctx, async (w) => {
    const event = { action: "complaint.update", targetType: "complaint", targetId: id };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("complaints").select(["status"]).where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Complaint"), event, "failure");
    if (row.status === "closed") return w.refuse(ComplaintClosedError(), event, "failure");
    if (change.incidentId && !(await w.tx.selectFrom("incidents").select("id").where("id", "=", change.incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    const now = new Date().toISOString();
    const set = {
      ...(change.status ? { status: change.status, ...(change.status === "closed" ? { closed_at: now } : {}) } : {}),
      ...(change.incidentId ? { incident_id: change.incidentId } : {}),
    };
    if (Object.keys(set).length) await w.tx.updateTable("complaints").set(set).where("id", "=", id).execute();
    if (change.note) {
      const noteId = uuidv7();
      await w.tx
        .insertInto("complaint_notes")
        .values({
          id: noteId,
          complaint_id: id,
          author_id: ctx.actor.userId,
          note_ct: sealText(services.vault, "complaint_notes", noteId, "note", change.note),
          at: now,
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
  return readComplaint(services, ctx, id);
}

/** Records the answer to the complainant; when an email address was given, queues it for sending. */
export async function respondToComplaint(services: Services, ctx: RequestContext, id: string, input: { text: string }) {
  await runAudited(services, ctx, async (w) => {
    const event = { action: "complaint.respond", targetType: "complaint", targetId: id };
    const refused = guard(w, ctx, event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("complaints").select(["status", "email_ct", "language"]).where("id", "=", id).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Complaint"), event, "failure");
    if (row.status === "closed") return w.refuse(ComplaintClosedError(), event, "failure");
    if (!input.text.trim()) return w.refuse(ValidationError([{ field: "text", code: "required", message: "This field is required." }]), event, "failure");
    const now = new Date().toISOString();
    let emailed = false;
    if (row.email_ct) {
      const to = openText(services.vault, T, id, "email", row.email_ct);
      const subject = row.language === "en" ? `Your complaint ${id.slice(0, 8)}: our answer` : `您的投诉 ${id.slice(0, 8)}：本所答复`;
      await queueEmail(w.tx, services.vault, { to, subject, body: input.text, purpose: "complaint_response" }, now);
      emailed = true;
    }
    await w.tx
      .updateTable("complaints")
      .set({
        status: "responded",
        response_ct: sealText(services.vault, T, id, "response", input.text),
        responded_at: now,
        responded_by: ctx.actor.userId,
        response_sent: emailed ? 1 : 0,
      })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", details: { from: row.status, emailed } });
    return null;
  });
  return readComplaint(services, ctx, id);
}
