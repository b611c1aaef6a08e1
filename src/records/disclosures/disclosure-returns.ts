/**
 * End of relationship and destruction (RET-3): asking a partner to return or delete what it holds,
 * and recording its confirmation. The request goes to each of the partner's contacts with an email
 * address through the mail outbox (sealed at rest, delivered by deliverDue); it names the
 * disclosure and the rows by their key in the package (a pseudonym or the client id the profile
 * kept), never a client's name or data. Audit actions avoid the `disclosure.` prefix, which the
 * approval-compliance KPI counts as disclosures.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { can } from "../../access/policy/policy.js";
import { isSelf } from "../../access/policy/predicates.js";
import { type AuditedWork, runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { queueEmail } from "../../response/notifications/notifier.js";
import { openText } from "../../vault/sealed-text.js";
import { DISCLOSURE_REFERENCE, HoldingNotOutstandingError, OUTSTANDING, type ReturnReason } from "./disclosure.js";

export interface ReturnRequestSummary {
  /** Holdings asked back now (held before) and already asked (reminded). */
  holdings: { disclosureId: string; clientId: string; partnerId: string }[];
  partners: { partnerId: string; emailsQueued: number }[];
}

/** Who may ask for and confirm returns: compliance (partner.manage), or whoever made the disclosure. */
const mayManage = (ctx: RequestContext, requesterId: string | null): boolean =>
  can(ctx.actor, "partner.manage") || (requesterId !== null && isSelf(ctx.actor, requesterId));

function requestText(partnerName: string, reason: ReturnReason, items: Map<string, { createdAt: string; refs: (string | null)[] }>) {
  const why = {
    request: { zh: "本所要求", en: "at the firm's request" },
    relationship_ended: { zh: "合作关系终止", en: "because our relationship has ended" },
    client_destroyed: { zh: "相关客户信息已到保存期限并销毁", en: "because the client's records reached the end of their retention period" },
  }[reason];
  const lines = [...items.entries()].map(([id, d]) => {
    const refs = d.refs.every((r) => r !== null) ? d.refs.join(", ") : "all rows / 全部记录";
    return `- ${id} (${d.createdAt.slice(0, 10)}): ${refs}`;
  });
  return {
    subject: "Custodia: return or deletion request / 返还或删除请求",
    body: [
      `${partnerName}:`,
      "",
      `请返还或删除以下数据包中的相应记录（${why.zh}），并回复确认（返还或删除、日期及确认编号）。`,
      `Please return or delete the following rows of these disclosure packages (${why.en}) and confirm (returned or deleted, date and a reference number).`,
      "",
      ...lines,
      "",
    ].join("\n"),
  };
}

/**
 * Marks the outstanding holdings that match as return_requested and queues one request per partner
 * contact, in the caller's unit of work. Used by requestReturn, by client destruction and when a
 * partnership ends. Holdings already confirmed are left alone.
 */
export async function requestReturnsWithin(
  services: Services,
  w: AuditedWork,
  filter: { disclosureId?: string; partnerId?: string; clientIds?: readonly string[] },
  reason: ReturnReason,
  now: Date = new Date(),
): Promise<ReturnRequestSummary> {
  if (filter.clientIds && filter.clientIds.length === 0) return { holdings: [], partners: [] };
  let q = w.tx
    .selectFrom("disclosure_holdings as h")
    .innerJoin("disclosures as d", "d.id", "h.disclosure_id")
    .innerJoin("partners as p", "p.id", "d.partner_id")
    .select(["h.disclosure_id", "h.client_id", "h.package_ref", "h.status", "d.partner_id", "d.created_at", "p.name as partner_name"])
    .where("h.status", "in", [...OUTSTANDING]);
  if (filter.disclosureId) q = q.where("h.disclosure_id", "=", filter.disclosureId);
  if (filter.partnerId) q = q.where("d.partner_id", "=", filter.partnerId);
  if (filter.clientIds) q = q.where("h.client_id", "in", [...filter.clientIds]);
  const rows = await q.orderBy("d.created_at").orderBy("h.client_id").execute();
  const at = now.toISOString();
  const byPartner = new Map<string, { name: string; items: Map<string, { createdAt: string; refs: (string | null)[] }> }>();
  for (const r of rows) {
    if (r.status === "held") {
      await w.tx
        .updateTable("disclosure_holdings")
        .set({ status: "return_requested", return_requested_at: at, return_reason: reason })
        .where("disclosure_id", "=", r.disclosure_id)
        .where("client_id", "=", r.client_id)
        .where("status", "=", "held")
        .execute();
    }
    const partner = byPartner.get(r.partner_id) ?? { name: r.partner_name, items: new Map() };
    const item = partner.items.get(r.disclosure_id) ?? { createdAt: r.created_at, refs: [] };
    item.refs.push(r.package_ref);
    partner.items.set(r.disclosure_id, item);
    byPartner.set(r.partner_id, partner);
  }
  const partners: ReturnRequestSummary["partners"] = [];
  for (const [partnerId, p] of byPartner) {
    const contacts = await w.tx.selectFrom("partner_contacts").select(["id", "email_ct"]).where("partner_id", "=", partnerId).orderBy("id").execute();
    const text = requestText(p.name, reason, p.items);
    let emailsQueued = 0;
    for (const c of contacts) {
      if (!c.email_ct) continue;
      const to = openText(services.vault, "partner_contacts", c.id, "email", c.email_ct);
      await queueEmail(w.tx, services.vault, { to, subject: text.subject, body: text.body, purpose: "partner_return_request" }, at);
      emailsQueued++;
    }
    partners.push({ partnerId, emailsQueued });
    // One event per partner asked: ids and counts only.
    w.record({
      action: "holding.return_request",
      targetType: "partner",
      targetId: partnerId,
      outcome: "success",
      purpose: null,
      details: { reason, disclosures: [...p.items.keys()].join(","), holdings: [...p.items.values()].reduce((n, i) => n + i.refs.length, 0), emailsQueued },
    });
  }
  return { holdings: rows.map((r) => ({ disclosureId: r.disclosure_id, clientId: r.client_id, partnerId: r.partner_id })), partners };
}

/** Asks the partner to return or delete what it holds of one disclosure, or everything it holds of the firm's clients. */
export async function requestReturn(
  services: Services,
  ctx: RequestContext,
  target: { disclosureId: string } | { partnerId: string; reason?: ReturnReason },
): Promise<ReturnRequestSummary> {
  return runAudited(services, ctx, async (w) => {
    if ("disclosureId" in target) {
      const event = { action: "holding.return_request", targetType: "disclosure", targetId: target.disclosureId, purpose: null };
      const d = await w.tx.selectFrom("disclosures").select(["id", "requester_id"]).where("id", "=", target.disclosureId).executeTakeFirst();
      if (!mayManage(ctx, d?.requester_id ?? null)) return w.deny({ reason: "role_lacks_permission" }, event);
      if (!d) return w.refuse(NotFoundError("Disclosure"), event, "failure");
      const summary = await requestReturnsWithin(services, w, { disclosureId: d.id }, "request");
      if (summary.holdings.length === 0) return w.refuse(HoldingNotOutstandingError(), event, "failure");
      return summary;
    }
    const event = { action: "holding.return_request", targetType: "partner", targetId: target.partnerId, purpose: null };
    if (!can(ctx.actor, "partner.manage")) return w.deny({ reason: "role_lacks_permission" }, event);
    const partner = await w.tx.selectFrom("partners").select("id").where("id", "=", target.partnerId).executeTakeFirst();
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    const summary = await requestReturnsWithin(services, w, { partnerId: partner.id }, target.reason ?? "request");
    // Nothing outstanding is an answer, not an error: ending a partnership that holds nothing is fine.
    if (summary.holdings.length === 0) w.record({ ...event, outcome: "success", details: { holdings: 0 } });
    return summary;
  });
}

export interface ReturnConfirmation {
  kind: "returned" | "deleted";
  confirmedAt: string;
  reference: string;
}

/** Records the partner's confirmation that it returned or deleted one client's rows, or all rows of a disclosure still outstanding. */
export async function confirmReturn(
  services: Services,
  ctx: RequestContext,
  disclosureId: string,
  clientId: string | undefined,
  confirmation: ReturnConfirmation,
): Promise<{ confirmed: { clientId: string; status: string }[] }> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "holding.confirm", targetType: "disclosure", targetId: disclosureId, purpose: null };
    const d = await w.tx.selectFrom("disclosures").select(["id", "requester_id", "partner_id"]).where("id", "=", disclosureId).executeTakeFirst();
    if (!mayManage(ctx, d?.requester_id ?? null)) return w.deny({ reason: "role_lacks_permission" }, event);
    if (!d) return w.refuse(NotFoundError("Disclosure"), event, "failure");
    const at = new Date(confirmation.confirmedAt);
    const issues = [];
    if (Number.isNaN(at.getTime()) || at.getTime() > Date.now() + 5 * 60_000)
      issues.push({ field: "confirmedAt", code: "in_future", message: "A time not in the future." });
    if (!DISCLOSURE_REFERENCE.test(confirmation.reference))
      issues.push({ field: "reference", code: "format", message: "A ticket, letter or certificate number." });
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    let q = w.tx
      .selectFrom("disclosure_holdings")
      .select(["client_id"])
      .where("disclosure_id", "=", d.id)
      .where("status", "in", [...OUTSTANDING]);
    if (clientId !== undefined) q = q.where("client_id", "=", clientId);
    const open = await q.orderBy("client_id").execute();
    if (open.length === 0) return w.refuse(HoldingNotOutstandingError(), { ...event, details: { clientId: clientId ?? null } }, "failure");
    const status = confirmation.kind === "returned" ? "returned" : "deleted_confirmed";
    for (const h of open) {
      await w.tx
        .updateTable("disclosure_holdings")
        .set({ status, confirmed_at: at.toISOString(), confirmation_reference: confirmation.reference, confirmed_by: ctx.actor.userId })
        .where("disclosure_id", "=", d.id)
        .where("client_id", "=", h.client_id)
        .execute();
      // In the client's access history too: what the partner held is gone.
      w.record({
        action: "holding.confirm",
        targetType: "client",
        targetId: h.client_id,
        outcome: "success",
        purpose: null,
        details: { disclosureId: d.id, partnerId: d.partner_id, status },
      });
    }
    return { confirmed: open.map((h) => ({ clientId: h.client_id, status })) };
  });
}

export interface OutsideHolder {
  clientId: string;
  disclosureId: string;
  partnerId: string;
  partnerName: string;
  disclosedAt: string;
  status: string;
  returnRequestedAt: string | null;
  confirmedAt: string | null;
  confirmationReference: string | null;
}

/** Who outside holds (or held) these clients' data, and whether its return or deletion is confirmed: for the destruction certificate. */
export async function outsideHoldersOf(tx: Tx, clientIds: readonly string[]): Promise<OutsideHolder[]> {
  const out: OutsideHolder[] = [];
  for (let i = 0; i < clientIds.length; i += 500) {
    const rows = await tx
      .selectFrom("disclosure_holdings as h")
      .innerJoin("disclosures as d", "d.id", "h.disclosure_id")
      .innerJoin("partners as p", "p.id", "d.partner_id")
      .select([
        "h.client_id",
        "h.disclosure_id",
        "d.partner_id",
        "p.name",
        "d.created_at",
        "h.status",
        "h.return_requested_at",
        "h.confirmed_at",
        "h.confirmation_reference",
      ])
      .where("h.client_id", "in", clientIds.slice(i, i + 500))
      .orderBy("h.client_id")
      .orderBy("d.created_at")
      .execute();
    for (const r of rows)
      out.push({
        clientId: r.client_id,
        disclosureId: r.disclosure_id,
        partnerId: r.partner_id,
        partnerName: r.name,
        disclosedAt: r.created_at,
        status: r.status,
        returnRequestedAt: r.return_requested_at,
        confirmedAt: r.confirmed_at,
        confirmationReference: r.confirmation_reference,
      });
  }
  return out;
}
