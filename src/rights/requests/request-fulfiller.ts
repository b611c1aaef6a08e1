/**
 * Staff work on client requests (`request.manage`: compliance, partners): assign, verify identity
 * with evidence, extend, refuse and fulfil. Fulfilment reuses the existing commands' write paths —
 * the client update (correction), crypto-shredding (deletion, after the legal-hold check), the
 * consent withdrawal — so every effect is audited as it would be from the staff API.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRecordWrite } from "../../access/policy/policy.js";
import { Refusal, runAudited, type AuditedWork } from "../../platform/audit/audited.js";
import { refuseRecord } from "../../records/clients/client-access.js";
import { shredClient } from "../../records/clients/client-eraser.js";
import { purgeAfterCommit } from "../../records/documents/document-blob-sweeper.js";
import { findClientRow, openRow, setClientPurposes } from "../../records/clients/client-store.js";
import { applyClientPatch, type ClientPatch } from "../../records/clients/client-updater.js";
import { withdrawConsentWithin } from "../consent/consent-commands.js";
import type { DbClientRequest } from "../../platform/db/schema.js";
import { GoneError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { activeHoldFor } from "../holds/hold-store.js";
import { clientRelation } from "../../records/matters/need-to-know.js";
import { notifyUsers } from "../../response/notifications/notifier.js";
import type { Services } from "../../platform/services.js";
import { extendedDueDate, localDate, dueDate } from "./deadlines.js";
import { allOrNothing, claimFulfillable } from "./fulfilment-unit.js";
import { issueToken } from "./portal-intake.js";
import { presentStaffRequest, type StaffRequestView } from "./present.js";
import { ExtensionNotAllowedError, IdentityUnverifiedError, RequestStateError, TRANSITIONS, type RequestSettings, type RequestStatus } from "./request.js";
import { findRegime, findRequestRow, firmTimeZone, setStatus, workCalendar } from "./request-store.js";

/** The purpose a restricted record keeps (seeded by migration 0007). */
export const LEGAL_CLAIMS_PURPOSE = "legal-claims";

type Loaded = { row: DbClientRequest; today: string; reminderDays: number };

async function loadRequest(
  _services: Services,
  settings: RequestSettings,
  ctx: RequestContext,
  w: AuditedWork,
  id: string,
  action: string,
): Promise<Loaded | Refusal> {
  const event = { action, targetType: "client_request", targetId: id, purpose: null };
  const decision = authorize(ctx.actor, "request.manage");
  if (decision.effect === "deny") return w.deny(decision, event);
  const row = await findRequestRow(w.tx, id);
  if (!row) return w.refuse(NotFoundError("Request"), event, "failure");
  const today = localDate(settings.now(), await firmTimeZone(w.tx));
  return { row, today, reminderDays: (await findRegime(w.tx, row.regime))?.reminderDays ?? 3 };
}

const allowed = (from: string, to: RequestStatus) => (TRANSITIONS[from as RequestStatus] ?? []).includes(to);

async function view(_services: Services, settings: RequestSettings, w: AuditedWork, id: string): Promise<StaffRequestView> {
  const row = (await findRequestRow(w.tx, id))!;
  const today = localDate(settings.now(), await firmTimeZone(w.tx));
  const history = await w.tx.selectFrom("client_request_history").selectAll().where("request_id", "=", id).orderBy("seq").execute();
  return presentStaffRequest(row, today, (await findRegime(w.tx, row.regime))?.reminderDays ?? 3, history);
}

export async function readRequest(services: Services, settings: RequestSettings, ctx: RequestContext, id: string): Promise<StaffRequestView> {
  return runAudited(services, ctx, async (w) => {
    const loaded = await loadRequest(services, settings, ctx, w, id, "request.read");
    if (!("row" in loaded)) return loaded;
    w.record({ action: "request.read", targetType: "client_request", targetId: id, purpose: null, outcome: "success" });
    return view(services, settings, w, id);
  });
}

export async function listRequests(
  services: Services,
  settings: RequestSettings,
  ctx: RequestContext,
  filter: { status?: string | undefined; open?: boolean | undefined; overdue?: boolean | undefined },
): Promise<StaffRequestView[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request.list", targetType: null, targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "request.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx.selectFrom("client_requests").selectAll();
    if (filter.status) q = q.where("status", "=", filter.status);
    if (filter.open) q = q.where("status", "not in", ["fulfilled", "refused"]);
    const rows = await q.orderBy("due_date").orderBy("id").limit(500).execute();
    const today = localDate(settings.now(), await firmTimeZone(w.tx));
    const reminder = new Map((await w.tx.selectFrom("request_regimes").select(["code", "reminder_days"]).execute()).map((r) => [r.code, r.reminder_days]));
    const items = rows.map((r) => presentStaffRequest(r, today, reminder.get(r.regime) ?? 3)).filter((r) => !filter.overdue || r.overdue);
    w.record({ ...event, outcome: "success", details: { results: items.length } });
    return items;
  });
}

/** Assigns the owner and, optionally, a regime: the due date is recomputed from the day of receipt. */
export async function assignRequest(
  services: Services,
  settings: RequestSettings,
  ctx: RequestContext,
  id: string,
  input: { ownerId?: string | undefined; regime?: string | undefined },
): Promise<StaffRequestView> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request.assign", targetType: "client_request", targetId: id, purpose: null };
    const loaded = await loadRequest(services, settings, ctx, w, id, event.action);
    if (!("row" in loaded)) return loaded;
    const changes: Partial<DbClientRequest> = {};
    if (input.ownerId) {
      const owner = await w.tx.selectFrom("users").select(["id", "role", "status"]).where("id", "=", input.ownerId).executeTakeFirst();
      if (owner?.status !== "active")
        return w.refuse(ValidationError([{ field: "ownerId", code: "unknown_user", message: "No active user has this id." }]), event, "failure");
      changes.owner_id = owner.id;
    }
    // Naming a regime, even the current one, recomputes the due date from its figures as they are
    // now: an edited regime reaches a request only this way (due dates are kept, not derived).
    if (input.regime) {
      const regime = await findRegime(w.tx, input.regime);
      if (!regime) return w.refuse(ValidationError([{ field: "regime", code: "unknown_regime", message: "No such regime." }]), event, "failure");
      changes.regime = regime.code;
      changes.due_date = dueDate(loaded.row.received_date, regime, await workCalendar(w.tx));
      changes.extended_due_date = null;
      changes.extension_reason = null;
    }
    await w.tx
      .updateTable("client_requests")
      .set({ ...changes, updated_at: settings.now().toISOString() })
      .where("id", "=", id)
      .execute();
    w.record({ ...event, outcome: "success", details: { ownerId: changes.owner_id ?? null, regime: changes.regime ?? null } });
    return view(services, settings, w, id);
  });
}

/**
 * Identity verified by staff (in person, on a video call …), with the evidence's reference code;
 * links the client and returns a portal token once, for staff to hand to the client.
 */
export async function verifyByStaff(
  services: Services,
  settings: RequestSettings,
  ctx: RequestContext,
  id: string,
  input: { clientId: string; evidence: { kind: string; reference: string } },
): Promise<StaffRequestView & { token: string; tokenExpiresAt: string }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request.verify", targetType: "client_request", targetId: id, purpose: null };
    const loaded = await loadRequest(services, settings, ctx, w, id, event.action);
    if (!("row" in loaded)) return loaded;
    if (!allowed(loaded.row.status, "verified")) return w.refuse(RequestStateError(), event, "failure");
    const client = await findClientRow(w.tx, input.clientId);
    if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
    if (client.status === "erased") return w.refuse(GoneError(), event, "failure");
    const now = settings.now();
    const at = now.toISOString();
    const issued = issueToken(now, settings.tokenTtlMs);
    await setStatus(w.tx, loaded.row, "verified", at, ctx.actor.userId, {
      client_id: client.id,
      match: "one",
      code_hash: null,
      token_hash: issued.hash,
      token_expires_at: issued.expiresAt,
      verified_at: at,
      verified_by: ctx.actor.userId,
      verification_method: "staff",
      verification_evidence: `${input.evidence.kind}:${input.evidence.reference}`,
    });
    w.record({
      ...event,
      outcome: "success",
      details: { method: "staff", clientId: client.id, evidenceKind: input.evidence.kind, evidenceReference: input.evidence.reference },
    });
    return { ...(await view(services, settings, w, id)), token: issued.token, tokenExpiresAt: issued.expiresAt };
  });
}

export async function extendRequest(services: Services, settings: RequestSettings, ctx: RequestContext, id: string, reason: string): Promise<StaffRequestView> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request.extend", targetType: "client_request", targetId: id, purpose: null };
    const loaded = await loadRequest(services, settings, ctx, w, id, event.action);
    if (!("row" in loaded)) return loaded;
    if (!allowed(loaded.row.status, "extended") || loaded.row.extended_due_date) return w.refuse(RequestStateError(), event, "failure");
    const regime = await findRegime(w.tx, loaded.row.regime);
    const extended = regime ? extendedDueDate(loaded.row.due_date, loaded.today, regime, await workCalendar(w.tx)) : null;
    if (!extended) return w.refuse(ExtensionNotAllowedError(), event, "failure");
    // The requester sees the new date and the reason code through the portal (GDPR Art. 12(3)).
    await setStatus(
      w.tx,
      loaded.row,
      "extended",
      settings.now().toISOString(),
      ctx.actor.userId,
      { extended_due_date: extended, extension_reason: reason },
      reason,
    );
    w.record({ ...event, outcome: "success", details: { reason, extendedDueDate: extended } });
    return view(services, settings, w, id);
  });
}

export async function refuseRequest(services: Services, settings: RequestSettings, ctx: RequestContext, id: string, reason: string): Promise<StaffRequestView> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "request.refuse", targetType: "client_request", targetId: id, purpose: null };
    const loaded = await loadRequest(services, settings, ctx, w, id, event.action);
    if (!("row" in loaded)) return loaded;
    if (!allowed(loaded.row.status, "refused")) return w.refuse(RequestStateError(), event, "failure");
    const at = settings.now().toISOString();
    await setStatus(w.tx, loaded.row, "refused", at, ctx.actor.userId, { outcome: reason, outcome_details: null, closed_at: at, details_ct: null }, reason);
    w.record({ ...event, outcome: "success", reason });
    return view(services, settings, w, id);
  });
}

/** Opens the sealed details a requester gave (correction values, purpose to withdraw). */
function detailsOf(services: Services, row: DbClientRequest): { correction?: ClientPatch; purpose?: string | null } {
  if (!row.details_ct) return {};
  return JSON.parse(services.vault.openSecret({ table: "client_requests", recordId: row.id, field: "details" }, row.details_ct)) as {
    correction?: ClientPatch;
    purpose?: string | null;
  };
}

/**
 * Carries out a verified request as one unit of work: the claim, every composed command (the client
 * update, crypto-shredding, the consent withdrawal), the team's notifications and the request's
 * closing run in this one transaction with their audit events, so a failure anywhere leaves nothing
 * written, and of two concurrent fulfilments one runs and the other gets 409 `request_state`. A
 * deletion under a legal hold is answered as refused, with the hold's reason and review date.
 */
export async function fulfilRequest(services: Services, settings: RequestSettings, ctx: RequestContext, id: string): Promise<StaffRequestView> {
  const registered = await services.purposes.codes();
  const fulfilled = await runAudited(services, ctx, async (w) => {
    const event = { action: "request.fulfil", targetType: "client_request", targetId: id, purpose: null };
    const loaded = await loadRequest(services, settings, ctx, w, id, event.action);
    if (!("row" in loaded)) return loaded;
    const done = await allOrNothing(w, event, async () => {
      if (!(await claimFulfillable(w.tx, id))) return w.refuse(RequestStateError(), event, "failure");
      // Read again under the claim: a concurrent change committed before it is seen here.
      const row = (await findRequestRow(w.tx, id))!;
      return carryOut(services, settings, ctx, w, row, registered);
    });
    if (done instanceof Refusal) return done;
    return view(services, settings, w, id);
  });
  // An erasure's documents leave the blob store once it committed (document-blob-sweeper.ts).
  if (fulfilled.type === "deletion") await purgeAfterCommit(services);
  return fulfilled;
}

/** The fulfilment's steps, by request type, on a claimed request; their writes and events, or a refusal. */
async function carryOut(
  services: Services,
  settings: RequestSettings,
  ctx: RequestContext,
  w: AuditedWork,
  row: DbClientRequest,
  registered: ReadonlySet<string>,
): Promise<Refusal | null> {
  const id = row.id;
  const event = { action: "request.fulfil", targetType: "client_request", targetId: id, purpose: null };
  if (!row.client_id || !row.verified_at) return w.refuse(IdentityUnverifiedError(), event, "failure");
  const clientId = row.client_id;
  const client = await findClientRow(w.tx, clientId);
  if (!client) return w.refuse(NotFoundError("Client"), event, "failure");
  const at = settings.now().toISOString();
  const close = async (
    to: "fulfilled" | "refused",
    outcome: string,
    outcomeDetails: Record<string, string | null> | null,
    changes: Partial<DbClientRequest> = {},
  ) => {
    if (row.status === "verified") await setStatus(w.tx, row, "in_progress", at, ctx.actor.userId);
    await setStatus(
      w.tx,
      row,
      to,
      at,
      ctx.actor.userId,
      { outcome, outcome_details: outcomeDetails ? JSON.stringify(outcomeDetails) : null, closed_at: at, details_ct: null, ...changes },
      to === "refused" ? outcome : null,
    );
  };
  if (client.status === "erased" && row.type !== "deletion") {
    await close("refused", "client_erased", null);
    w.record({ ...event, action: "request.refuse", outcome: "success", reason: "client_erased" });
    return null;
  }
  const relation = await clientRelation(w.tx, ctx.actor, client);

  switch (row.type) {
    case "access":
    case "copy":
    case "explanation":
      // The package is built when the client downloads it: nothing personal is stored here.
      await close("fulfilled", "package_ready", null);
      break;
    case "correction": {
      const write = authorizeRecordWrite(ctx.actor, "client.update", { erased: false }, relation);
      if (write.effect === "deny") return refuseRecord(w, ctx, write, relation, { action: "client.update", targetType: "client", targetId: clientId });
      const patch = detailsOf(services, row).correction ?? {};
      const current = openRow(services.vault, await services.keyRing.openDataKey(w.tx, clientId), client);
      const updateEvent = { action: "client.update", targetType: "client", targetId: clientId, purpose: null };
      const applied = await applyClientPatch(services, w, current, patch, registered, updateEvent);
      if (!("updated" in applied)) return applied;
      w.record({ ...updateEvent, outcome: "success", details: { fields: applied.fields, requestId: id } });
      // DSR-2: the teams of the client's open matters learn that the record changed (field names only),
      // through the notification outbox like every other in-app notice.
      const members = await w.tx
        .selectFrom("matter_members as mm")
        .innerJoin("matters as m", "m.id", "mm.matter_id")
        .select("mm.user_id")
        .where("m.client_id", "=", clientId)
        .where("m.status", "=", "open")
        .execute();
      const notified = await notifyUsers(
        w.tx,
        services.vault,
        { kind: "client.corrected", clientId, requestId: id, fields: applied.fields, at },
        members.map((m) => m.user_id),
        at,
      );
      await close("fulfilled", "corrected", { fields: applied.fields.join(","), notified: String(notified) });
      break;
    }
    case "deletion": {
      const hold = await activeHoldFor(w.tx, clientId);
      if (hold) {
        await close("refused", "legal_hold", { holdReason: hold.reason, reviewDate: hold.review_date });
        w.record({
          ...event,
          action: "request.refuse",
          outcome: "success",
          reason: "legal_hold",
          details: { holdId: hold.id, holdReason: hold.reason, reviewDate: hold.review_date },
        });
        return null;
      }
      if (client.status !== "erased") {
        const erase = authorizeRecordWrite(ctx.actor, "client.erase", { erased: false }, relation);
        if (erase.effect === "deny")
          return refuseRecord(w, ctx, erase, relation, { action: "client.erase", targetType: "client", targetId: clientId, purpose: null });
        await shredClient(services, w.tx, clientId, client.row_version, at);
        w.record({
          action: "client.erase",
          targetType: "client",
          targetId: clientId,
          purpose: null,
          outcome: "success",
          details: { reason: "client_request", reference: id, method: "crypto-shredding" },
        });
      }
      // The request rows' blind indexes would still link this person to the firm: cleared.
      await w.tx
        .updateTable("client_requests")
        .set({ id_number_bidx: null, phone_bidx: null, email_bidx: null, details_ct: null })
        .where("client_id", "=", clientId)
        .execute();
      await close("fulfilled", "erased", { method: "crypto-shredding" });
      break;
    }
    case "restriction": {
      const write = authorizeRecordWrite(ctx.actor, "client.update", { erased: false }, relation);
      // Compliance holds no client.update; restricting processing is its duty all the same.
      if (write.effect === "deny" && write.reason !== "role_lacks_permission")
        return refuseRecord(w, ctx, write, relation, { action: "client.restrict", targetType: "client", targetId: clientId, purpose: null });
      if (!(await setClientPurposes(w.tx, clientId, [LEGAL_CLAIMS_PURPOSE], client.row_version, at))) return w.refuse(RequestStateError(), event, "failure");
      // The purposes in force now come back when the restriction is lifted (restriction-lifter.ts);
      // a second restriction of a restricted record keeps the first one's list.
      await w.tx
        .insertInto("processing_restrictions")
        .values({ client_id: clientId, request_id: id, restricted_at: at, restricted_by: ctx.actor.userId, previous_purposes: client.purposes })
        .onConflict((oc) => oc.column("client_id").doNothing())
        .execute();
      w.record({
        action: "client.restrict",
        targetType: "client",
        targetId: clientId,
        purpose: null,
        outcome: "success",
        details: { requestId: id, purposes: [LEGAL_CLAIMS_PURPOSE] },
      });
      await close("fulfilled", "restricted", { purposes: LEGAL_CLAIMS_PURPOSE });
      break;
    }
    case "withdraw_consent": {
      const purpose = detailsOf(services, row).purpose;
      if (!purpose) {
        await close("refused", "not_applicable", null);
        w.record({ ...event, action: "request.refuse", outcome: "success", reason: "not_applicable" });
        return null;
      }
      // The consent command, composed into this transaction: withdrawn only if the request closes.
      const withdrawn = await withdrawConsentWithin(services, { ...ctx, purpose: null }, w, clientId, purpose, {
        channel: "portal",
        acknowledgement: { kind: "click", reference: `request:${id}` },
      });
      if (withdrawn instanceof Refusal) return withdrawn;
      await close("fulfilled", "consent_withdrawn", { purpose });
      break;
    }
  }
  w.record({ ...event, outcome: "success", details: { type: row.type, clientId } });
  return null;
}
