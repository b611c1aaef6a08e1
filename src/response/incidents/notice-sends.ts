/**
 * Sending the client notice (INC-4, PIPL Art. 57) to every affected client, or to a chosen few of
 * them, by email. For each client the command opens the data key, decrypts the name and the email
 * on file, composes the personalised notice (notice-drafts.ts) and hands it to the email outbox of
 * src/response/notifications (recipient and text sealed there; the delivery worker sends it through SMTP or
 * the development outbox, as configured). Contact and name live only in this function's locals:
 * the send record holds the masked contact sealed with the client's data key, and audit events
 * and logs hold ids, codes and the outbox message id.
 *
 * A client with no usable email (none on file, or erased) is recorded as "not sent" with a reason,
 * so staff can follow up by other means. Without an explicit list, clients already sent this
 * incident's notice are skipped: a second click does not mail everyone twice.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { maskField } from "../../records/clients/masking.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Locale } from "../../platform/i18n/messages.js";
import { uuidv7 } from "../../platform/ids.js";
import { queueEmail } from "../notifications/notifier.js";
import type { Services } from "../../platform/services.js";
import type { DataKey } from "../../vault/vault.js";
import { composeNotice } from "./notice-drafts.js";

export const NOTICE_CHANNELS = ["email"] as const;
export type NoticeChannel = (typeof NOTICE_CHANNELS)[number];
export type NotSentReason = "no_contact" | "client_erased";

export const NoAffectedClientsError = () =>
  new AppError(409, "no_affected_clients", "The incident has no affected clients to notify; compute its blast radius first.");

export interface NoticeSendRequest {
  audience: "clients";
  channel: NoticeChannel;
  /** When absent: the client's language on record (their latest consent's notice), else zh-CN. */
  language?: Locale | undefined;
  /** A subset of the affected clients; all not yet notified when absent. */
  clientIds?: string[] | undefined;
}

export interface NoticeSendRecord {
  id: string;
  clientId: string;
  channel: string;
  language: string;
  /** Masked ("l***@example.cn"); null when there was none, or the client has since been erased. */
  contact: string | null;
  /** queued → sent | failed (by the delivery worker), or not_sent. */
  status: "queued" | "sent" | "failed" | "not_sent";
  reason: NotSentReason | null;
  messageId: string | null;
  sentBy: string;
  sentAt: string;
  deliveredAt: string | null;
}

const contactBinding = (sendId: string) => ({ table: "incident_notice_sends", recordId: sendId, field: "contact_masked" });
// Enough to tell an address from a phone number or a typo; the mail server has the last word.
const usableEmail = (value: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value);

export async function sendClientNotices(services: Services, ctx: RequestContext, incidentId: string, request: NoticeSendRequest) {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "incident.notice.send", targetType: "incident", targetId: incidentId };
    const decision = authorize(ctx.actor, "incident.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const incident = await w.tx.selectFrom("incidents").selectAll().where("id", "=", incidentId).executeTakeFirst();
    if (!incident) return w.refuse(NotFoundError("Incident"), event, "failure");
    const affected = await w.tx
      .selectFrom("incident_affected_clients")
      .select(["client_id", "fields"])
      .where("incident_id", "=", incidentId)
      .orderBy("client_id")
      .execute();
    if (affected.length === 0) return w.refuse(NoAffectedClientsError(), event, "failure");
    const byClient = new Map(affected.map((a) => [a.client_id, JSON.parse(a.fields) as string[]]));

    let targets: string[];
    let skipped: string[] = [];
    if (request.clientIds) {
      const issues = request.clientIds.flatMap((id, i) =>
        byClient.has(id) ? [] : [{ field: `clientIds.${i}`, code: "not_affected", message: "This client is not among the incident's affected clients." }],
      );
      if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
      targets = [...new Set(request.clientIds)];
    } else {
      const done = new Set(
        (await w.tx.selectFrom("incident_notice_sends").select("client_id").where("incident_id", "=", incidentId).where("status", "=", "queued").execute()).map(
          (r) => r.client_id,
        ),
      );
      targets = affected.map((a) => a.client_id).filter((id) => !done.has(id));
      skipped = affected.map((a) => a.client_id).filter((id) => done.has(id));
    }

    const now = new Date().toISOString();
    const sends: NoticeSendRecord[] = [];
    for (const clientId of targets) {
      const id = uuidv7();
      const client = await w.tx.selectFrom("clients").select(["id", "status", "name_ct", "email_ct"]).where("id", "=", clientId).executeTakeFirst();
      const key: DataKey | null = client && client.status !== "erased" ? await services.keyRing.openDataKey(w.tx, clientId) : null;
      const language = request.language ?? (await languageOnRecord(w.tx, clientId));
      let status: NoticeSendRecord["status"] = "not_sent";
      let reason: NotSentReason | null = null;
      let masked: string | null = null;
      let messageId: string | null = null;
      if (!client || !key) reason = "client_erased";
      else {
        const email = client.email_ct ? services.vault.open(key, { table: "clients", recordId: clientId, field: "email" }, client.email_ct).trim() : "";
        if (!usableEmail(email)) reason = "no_contact";
        else {
          const name = client.name_ct ? services.vault.open(key, { table: "clients", recordId: clientId, field: "name" }, client.name_ct) : "";
          const text = composeNotice(incident, { audience: "client", language, fields: byClient.get(clientId)!, affectedCount: affected.length, name });
          messageId = await queueEmail(w.tx, services.vault, { to: email, subject: text.title, body: text.body, purpose: "incident_notice" }, now);
          masked = maskField("email", email, null);
          status = "queued";
        }
      }
      await w.tx
        .insertInto("incident_notice_sends")
        .values({
          id,
          incident_id: incidentId,
          client_id: clientId,
          channel: request.channel,
          language,
          contact_masked_ct: masked && key ? services.vault.seal(key, contactBinding(id), masked) : null,
          status,
          reason,
          message_id: messageId,
          sent_by: ctx.actor.userId,
          sent_at: now,
        })
        .execute();
      // Ids and codes only: neither the address (masked or not) nor the name reaches the audit log.
      w.record({
        action: "incident.notice.send",
        targetType: "client",
        targetId: clientId,
        outcome: status === "queued" ? "success" : "failure",
        ...(reason ? { reason } : {}),
        details: { incidentId, sendId: id, channel: request.channel, language, status, messageId },
      });
      sends.push({
        id,
        clientId,
        channel: request.channel,
        language,
        contact: masked,
        status,
        reason,
        messageId,
        sentBy: ctx.actor.userId,
        sentAt: now,
        deliveredAt: null,
      });
    }
    const queued = sends.filter((s) => s.status === "queued").length;
    w.record({ ...event, outcome: "success", details: { channel: request.channel, queued, notSent: sends.length - queued, skipped: skipped.length } });
    return { queued, notSent: sends.filter((s) => s.status === "not_sent").map((s) => ({ clientId: s.clientId, reason: s.reason! })), skipped, sends };
  });
}

/** The language of the privacy notice the client last consented under, if any. */
async function languageOnRecord(tx: Tx, clientId: string): Promise<Locale> {
  const row = await tx
    .selectFrom("consent_records")
    .select("notice_language")
    .where("client_id", "=", clientId)
    .where("notice_language", "is not", null)
    .orderBy("recorded_at", "desc")
    .orderBy("id", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.notice_language === "en" ? "en" : "zh-CN";
}

/** Every send of the incident's client notice, newest first, with the outbox's delivery state. */
export async function listNoticeSends(services: Services, ctx: RequestContext, incidentId: string): Promise<NoticeSendRecord[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "incident.notice.list", targetType: "incident", targetId: incidentId };
    const decision = authorize(ctx.actor, "incident.read");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!(await w.tx.selectFrom("incidents").select("id").where("id", "=", incidentId).executeTakeFirst()))
      return w.refuse(NotFoundError("Incident"), event, "failure");
    const rows = await w.tx
      .selectFrom("incident_notice_sends as s")
      .leftJoin("email_outbox as m", "m.id", "s.message_id")
      .selectAll("s")
      .select(["m.sent_at as mailSentAt", "m.failed_at as mailFailedAt"])
      .where("s.incident_id", "=", incidentId)
      .orderBy("s.sent_at", "desc")
      .orderBy("s.id", "desc")
      .execute();
    const keys = new Map<string, DataKey | null>();
    const records: NoticeSendRecord[] = [];
    for (const r of rows) {
      let contact: string | null = null;
      if (r.contact_masked_ct) {
        if (!keys.has(r.client_id)) keys.set(r.client_id, await services.keyRing.openDataKey(w.tx, r.client_id));
        const key = keys.get(r.client_id);
        contact = key ? services.vault.open(key, contactBinding(r.id), r.contact_masked_ct) : null;
      }
      const status: NoticeSendRecord["status"] = r.status !== "queued" ? "not_sent" : r.mailSentAt ? "sent" : r.mailFailedAt ? "failed" : "queued";
      records.push({
        id: r.id,
        clientId: r.client_id,
        channel: r.channel,
        language: r.language,
        contact,
        status,
        reason: (r.reason as NotSentReason | null) ?? null,
        messageId: r.message_id,
        sentBy: r.sent_by,
        sentAt: r.sent_at,
        deliveredAt: r.mailSentAt ?? null,
      });
    }
    w.record({ ...event, outcome: "success", details: { count: records.length } });
    return records;
  });
}
