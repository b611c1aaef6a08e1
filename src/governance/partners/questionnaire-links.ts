/**
 * One-time links for a partner contact to answer the due-diligence questionnaire (issue #13, VEN-1).
 *
 * Compliance issues a link for one contact of the partner; the token is `cpq_<id>.<secret>`, the id
 * finds the row and only a SHA-256 of the secret is kept. It expires (14 days by default), works
 * once (submitting uses it up) and may be revoked. The link may be emailed to the contact through
 * the mail outbox; either way it is returned once to the issuer and never again.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { formatToken, newToken, type TokenShape } from "../../platform/crypto/bearer.js";
import { sha256Hex } from "../../platform/crypto/secrets.js";
import type { Tx } from "../../platform/db/engine.js";
import type { DbPartnerQuestionnaireLink } from "../../platform/db/schema.js";
import { AppError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { firmName } from "../../records/documents/share-code.js";
import { queueEmail } from "../../response/notifications/notifier.js";
import { openText } from "../../vault/sealed-text.js";
import { partnerExists, refusedUnless } from "./partner-guard.js";

/** `cpq_<16>.<43>`: a 96-bit id that finds the row and a 256-bit secret of which only a SHA-256 is stored. */
export const QUESTIONNAIRE_LINK_TOKEN: TokenShape = Object.freeze({ prefix: "cpq_", idBytes: 12, secretBytes: 32 });
export const LINK_DEFAULT_DAYS = 14;
export const LINK_MAX_DAYS = 60;
export const LINK_LANGUAGES = ["zh-CN", "en"] as const;
export type LinkLanguage = (typeof LINK_LANGUAGES)[number];
/** Requests to the public questionnaire per client address per hour, counted in the database so every server shares them. */
export const LINK_REQUESTS_PER_ADDRESS_PER_HOUR = 30;

/** Where the partner opens it: the public portal page. The token sits in the fragment, which browsers never send to a server. */
export const questionnairePath = (token: string) => `/portal/#/questionnaire/${token}`;

export type LinkStatus = "active" | "used" | "revoked" | "expired";

/** Stored states stand; an active link past its expiry reads as expired (no sweep needed). */
export const linkStatusAt = (row: Pick<DbPartnerQuestionnaireLink, "status" | "expires_at">, now: Date): LinkStatus =>
  row.status === "active" && Date.parse(row.expires_at) <= now.getTime() ? "expired" : (row.status as LinkStatus);

export const LinkNotActiveError = () => new AppError(409, "questionnaire_link_not_active", "This link was already used, revoked or has expired.");

export interface LinkIssueInput {
  contactId: string;
  expiresInDays?: number | undefined;
  language?: LinkLanguage | undefined;
  /** Send the link to the contact's email address through the mail outbox. */
  email?: boolean | undefined;
}

export function presentLink(row: DbPartnerQuestionnaireLink, now: Date) {
  return {
    id: row.id,
    contactId: row.contact_id,
    language: row.language,
    status: linkStatusAt(row, now),
    issuedBy: row.issued_by,
    issuedAt: row.issued_at,
    expiresAt: row.expires_at,
    emailed: row.emailed === 1,
    usedAt: row.used_at,
    assessmentId: row.assessment_id,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
  };
}
export type PresentedLink = ReturnType<typeof presentLink>;

export const linksOf = async (tx: Tx, partnerId: string, now: Date): Promise<PresentedLink[]> =>
  (await tx.selectFrom("partner_questionnaire_links").selectAll().where("partner_id", "=", partnerId).orderBy("issued_at", "desc").orderBy("id").execute()).map(
    (r) => presentLink(r, now),
  );

function linkEmail(partnerName: string, url: string, expiresAt: string, firm: string | null) {
  const until = expiresAt.slice(0, 10);
  return {
    subject: "尽职调查问卷 / Due-diligence questionnaire",
    body: [
      `${partnerName}：`,
      "",
      `${firm ?? "本所"}邀请贵方填写个人信息保护尽职调查问卷。请通过以下一次性链接填写并提交（${until} 前有效，仅可提交一次）：`,
      `${firm ?? "The firm"} asks you to answer its personal-data due-diligence questionnaire. Please answer it through this one-time link (valid until ${until}, one submission):`,
      "",
      url,
      "",
      "如非本人收到此邮件，请勿打开链接并告知本所。 / If this reached you by mistake, do not open the link and tell the firm.",
      "",
    ].join("\n"),
  };
}

/**
 * Issues a link for one of the partner's contacts (partner.manage). The token is in the answer
 * once; the audit event holds the link, partner and contact ids, never the token.
 */
export async function issueQuestionnaireLink(services: Services, ctx: RequestContext, partnerId: string, input: LinkIssueInput, now = new Date()) {
  const id = uuidv7();
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.link.issue", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    const partner = await w.tx.selectFrom("partners").select(["id", "name", "status"]).where("id", "=", partnerId).executeTakeFirst();
    if (!partner) return w.refuse(NotFoundError("Partner"), event, "failure");
    const contact = await w.tx
      .selectFrom("partner_contacts")
      .select(["id", "email_ct"])
      .where("id", "=", input.contactId)
      .where("partner_id", "=", partnerId)
      .executeTakeFirst();
    const days = input.expiresInDays ?? LINK_DEFAULT_DAYS;
    const issues = [
      ...(contact ? [] : [{ field: "contactId", code: "unknown_contact", message: "Not a contact of this partner." }]),
      ...(Number.isInteger(days) && days >= 1 && days <= LINK_MAX_DAYS
        ? []
        : [{ field: "expiresInDays", code: "too_big", message: `Between 1 and ${LINK_MAX_DAYS} days.` }]),
      ...(input.email && contact && !contact.email_ct ? [{ field: "email", code: "no_email", message: "This contact has no email address." }] : []),
    ];
    if (partner.status === "ended") issues.push({ field: "partnerId", code: "partner_ended", message: "The relationship with this partner has ended." });
    if (issues.length || !contact) return w.refuse(ValidationError(issues), event, "failure");
    const token = newToken(QUESTIONNAIRE_LINK_TOKEN);
    const language: LinkLanguage = input.language ?? "zh-CN";
    const row: DbPartnerQuestionnaireLink = {
      id,
      token_id: token.id,
      secret_hash: sha256Hex(token.secret),
      partner_id: partnerId,
      contact_id: contact.id,
      language,
      status: "active",
      issued_by: ctx.actor.userId,
      issued_at: now.toISOString(),
      expires_at: new Date(now.getTime() + days * 86_400_000).toISOString(),
      emailed: input.email ? 1 : 0,
      used_at: null,
      assessment_id: null,
      revoked_at: null,
      revoked_by: null,
    };
    await w.tx.insertInto("partner_questionnaire_links").values(row).execute();
    const path = questionnairePath(formatToken(QUESTIONNAIRE_LINK_TOKEN, token.id, token.secret));
    if (input.email && contact.email_ct) {
      const to = openText(services.vault, "partner_contacts", contact.id, "email", contact.email_ct);
      const url = `${(process.env.CUSTODIA_PUBLIC_URL ?? "").replace(/\/$/, "")}${path}`;
      await queueEmail(
        w.tx,
        services.vault,
        { to, ...linkEmail(partner.name, url, row.expires_at, firmName()), purpose: "partner_questionnaire_link" },
        row.issued_at,
      );
    }
    w.record({ ...event, outcome: "success", details: { linkId: id, contactId: contact.id, expiresAt: row.expires_at, emailed: row.emailed === 1, language } });
    return { link: presentLink(row, now), path, token: token.token };
  });
}

/** Revokes a link not yet used: it stops working at once (partner.manage). */
export async function revokeQuestionnaireLink(services: Services, ctx: RequestContext, partnerId: string, linkId: string, now = new Date()) {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "partner.link.revoke", targetType: "partner", targetId: partnerId };
    const refused = refusedUnless(w, ctx, "partner.manage", event);
    if (refused) return refused;
    if (!(await partnerExists(w.tx, partnerId))) return w.refuse(NotFoundError("Partner"), event, "failure");
    const row = await w.tx
      .selectFrom("partner_questionnaire_links")
      .selectAll()
      .where("id", "=", linkId)
      .where("partner_id", "=", partnerId)
      .executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Link"), event, "failure");
    if (linkStatusAt(row, now) !== "active") return w.refuse(LinkNotActiveError(), { ...event, details: { linkId } }, "failure");
    const at = now.toISOString();
    const done = await w.tx
      .updateTable("partner_questionnaire_links")
      .set({ status: "revoked", revoked_at: at, revoked_by: ctx.actor.userId })
      .where("id", "=", linkId)
      .where("status", "=", "active")
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) return w.refuse(LinkNotActiveError(), { ...event, details: { linkId } }, "failure");
    w.record({ ...event, outcome: "success", details: { linkId, contactId: row.contact_id } });
    return presentLink({ ...row, status: "revoked", revoked_at: at, revoked_by: ctx.actor.userId }, now);
  });
}
