/**
 * Forwarding a document outside the firm (issue #11, APR-1): staff make a share under a
 * forward_document grant, an L4 share waits for a second person, and any share can be revoked.
 * Each is one audited unit of work; the recipient's code is queued in the same transaction.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentShare, authorizeShareConfirmation, authorizeShareRevoke, shareNeedsSecondPerson } from "../../access/policy/policy.js";
import { isCurrentGrant } from "../../access/policy/predicates.js";
import type { Level } from "../../access/policy/roles.js";
import { decisionsOf } from "../../access/approvals/approval-store.js";
import { raiseWallBreachAlerts, screenedClients } from "../../access/walls/screening.js";
import { type AuditedWork, type Refusal, runAudited } from "../../platform/audit/audited.js";
import { newToken } from "../../platform/crypto/bearer.js";
import type { DbDocumentShare } from "../../platform/db/schema.js";
import { ConflictError, GoneError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord, viaDetails } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { type DocumentEvent, loadDocument } from "./document-access.js";
import { findDocument, findVersion, sizeOf } from "./document-store.js";
import {
  EMAIL_MAC_PURPOSE,
  LINK_MAC_PURPOSE,
  normaliseEmail,
  type PresentedShare,
  SHARE_DEFAULT_DAYS,
  SHARE_LINK_TOKEN,
  ShareAlreadyRevokedError,
  type ShareDraft,
  ShareExpiredError,
  ShareNotPendingError,
  sharePath,
  shareStatusAt,
  validateShareDraft,
} from "./share.js";
import { sendShareCode } from "./share-code.js";
import { presentShare } from "./share-present.js";
import { findShare, insertShare, openRecipient, sealRecipient, updateShare } from "./share-store.js";

export interface CreatedShare {
  share: PresentedShare;
  /** The link's path, shown once: only its MAC is stored. The sharer hands it to the recipient. */
  link: string;
}

const ShareMovedError = () => ConflictError("edit_conflict", "The record changed meanwhile; reload and retry.");

/** Shares the current version of a document with one outside recipient. */
export async function createShare(services: Services, ctx: RequestContext, documentId: string, draft: ShareDraft): Promise<CreatedShare> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.share", targetType: "document", targetId: documentId };
    const found = await loadDocument(services, ctx, w, documentId, event);
    if (!("document" in found)) return found;
    const { document } = found;
    const level = document.level as Level;
    const decision = authorizeDocumentShare(ctx.actor, found.purpose, found.record, found.relation, { level });
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, found.relation, { ...event, details: { clientId: document.client_id } });
    const issues = validateShareDraft(draft);
    if (issues.length)
      return w.refuse(
        ValidationError(issues),
        { ...event, details: { clientId: document.client_id, fields: issues.map((i) => `${i.field}:${i.code}`) } },
        "failure",
      );
    const version = (await findVersion(w.tx, documentId, document.current_version))!;
    const key = await services.keyRing.openDataKey(w.tx, document.client_id);
    if (!key || !document.wrapped_file_key) return w.refuse(GoneError(), event);

    const now = new Date();
    const id = uuidv7();
    const link = newToken(SHARE_LINK_TOKEN);
    const recipient = {
      kind: draft.recipient.kind,
      name: draft.recipient.name.trim(),
      organisation: draft.recipient.organisation?.trim() || null,
      email: normaliseEmail(draft.recipient.email),
    };
    const pending = shareNeedsSecondPerson(level);
    const row: DbDocumentShare = {
      id,
      document_id: documentId,
      version: version.version,
      client_id: document.client_id,
      created_by: ctx.actor.userId,
      recipient_kind: recipient.kind,
      ...sealRecipient(services.vault, key, id, recipient),
      recipient_email_mac: services.vault.mac(EMAIL_MAC_PURPOSE, recipient.email),
      purpose: found.purpose,
      // The policy allows a share only through a grant: its id is always there.
      grant_id: decision.via?.id ?? "",
      expires_at: new Date(now.getTime() + (draft.expiresInDays ?? SHARE_DEFAULT_DAYS) * 86_400_000).toISOString(),
      max_downloads: draft.maxDownloads ?? 1,
      downloads: 0,
      link_mac: services.vault.mac(LINK_MAC_PURPOSE, link.secret),
      code_mac: null,
      code_sent_at: null,
      code_expires_at: null,
      code_attempts: 0,
      status: pending ? "pending" : "active",
      confirmed_by: null,
      confirmed_at: null,
      revoked_by: null,
      revoked_at: null,
      created_at: now.toISOString(),
    };
    // An L4 share sends nothing until its second person confirms it.
    const code = pending ? null : await sendShareCode(services, w.tx, id, recipient.email, now);
    await insertShare(w.tx, { ...row, ...code });
    w.record({
      ...event,
      outcome: "success",
      reason: "permitted",
      details: {
        clientId: document.client_id,
        shareId: id,
        version: version.version,
        level,
        sizeBytes: sizeOf(version),
        recipientKind: recipient.kind,
        status: row.status,
        expiresAt: row.expires_at,
        maxDownloads: row.max_downloads,
        ...viaDetails(decision),
      },
    });
    return { share: presentShare(services.vault, key, { ...row, ...code }, level, now), link: sharePath(link.token) };
  });
}

/** The share, its level and the walls screening the caller from its client; 404 (audited) when missing or walled. */
async function loadShare(w: AuditedWork, ctx: RequestContext, shareId: string, event: DocumentEvent) {
  const share = await findShare(w.tx, shareId);
  if (!share) return w.refuse(NotFoundError("Share"), event, "failure");
  const document = await findDocument(w.tx, share.document_id);
  const screenedBy = (await screenedClients(w.tx, ctx.actor.userId)).get(share.client_id) ?? [];
  return { share, level: document?.level ?? 4, destroyed: !document || document.destroyed_at !== null, screenedBy };
}

/** A wall answers as if the share did not exist, and raises its alert, as for a client. */
const refuseWalled = (w: AuditedWork, ctx: RequestContext, screenedBy: readonly string[], event: DocumentEvent): Refusal =>
  w.refuse(NotFoundError("Share"), { ...event, reason: "screened_by_wall" }, "denied", raiseWallBreachAlerts(w.tx, ctx.actor.userId, screenedBy));

/** The second person on an L4 share (APR-2): the link opens and the code goes out. */
export async function confirmShare(services: Services, ctx: RequestContext, shareId: string): Promise<PresentedShare> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.share_confirm", targetType: "document_share", targetId: shareId };
    const loaded = await loadShare(w, ctx, shareId, event);
    if (!("share" in loaded)) return loaded;
    const { share, level, screenedBy } = loaded;
    const details = { clientId: share.client_id, documentId: share.document_id, sharedBy: share.created_by };
    const now = new Date();
    const grant = await w.tx.selectFrom("access_grants").selectAll().where("id", "=", share.grant_id).executeTakeFirst();
    const approvers = grant ? (await decisionsOf(w.tx, grant.request_id)).filter((d) => d.decision === "approve").map((d) => d.approverId) : [];
    const client = await findClientRow(w.tx, share.client_id);
    const decision = authorizeShareConfirmation(ctx.actor, {
      sharedBy: share.created_by,
      grantApproverIds: approvers,
      grantCurrent: grant !== undefined && isCurrentGrant(grant, now),
      screenedBy,
      erased: client?.status === "erased" || loaded.destroyed,
    });
    if (decision.effect === "deny") {
      if (decision.reason === "screened_by_wall") return refuseWalled(w, ctx, screenedBy, event);
      if (decision.reason === "record_erased") return w.refuse(GoneError(), { ...event, details });
      return w.deny(decision, { ...event, details });
    }
    const status = shareStatusAt(share, now);
    if (status === "expired") return w.refuse(ShareExpiredError(), { ...event, details }, "failure");
    if (status !== "pending") return w.refuse(ShareNotPendingError(), { ...event, details: { ...details, status } }, "failure");
    const key = await services.keyRing.openDataKey(w.tx, share.client_id);
    if (!key) return w.refuse(GoneError(), { ...event, details });
    const code = await sendShareCode(services, w.tx, share.id, openRecipient(services.vault, key, share).email, now);
    const change = { status: "active", confirmed_by: ctx.actor.userId, confirmed_at: now.toISOString(), ...code };
    if (!(await updateShare(w.tx, share, change))) return w.refuse(ShareMovedError(), { ...event, details }, "failure");
    w.record({ ...event, outcome: "success", reason: "permitted", details });
    return presentShare(services.vault, key, { ...share, ...change }, level, now);
  });
}

/** Withdraws a share: its link stops working at once. Copies already downloaded stay in the register. */
export async function revokeShare(services: Services, ctx: RequestContext, shareId: string): Promise<PresentedShare> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.share_revoke", targetType: "document_share", targetId: shareId };
    const loaded = await loadShare(w, ctx, shareId, event);
    if (!("share" in loaded)) return loaded;
    const { share, level, screenedBy } = loaded;
    const details = { clientId: share.client_id, documentId: share.document_id, sharedBy: share.created_by };
    const decision = authorizeShareRevoke(ctx.actor, { sharedBy: share.created_by }, { screenedBy });
    if (decision.effect === "deny") {
      if (decision.reason === "screened_by_wall") return refuseWalled(w, ctx, screenedBy, event);
      return w.deny(decision, { ...event, details });
    }
    if (share.status === "revoked") return w.refuse(ShareAlreadyRevokedError(), { ...event, details }, "failure");
    const now = new Date();
    const change = { status: "revoked", revoked_by: ctx.actor.userId, revoked_at: now.toISOString(), code_mac: null, code_expires_at: null };
    if (!(await updateShare(w.tx, share, change))) return w.refuse(ShareMovedError(), { ...event, details }, "failure");
    w.record({ ...event, outcome: "success", reason: "permitted", details: { ...details, downloads: share.downloads } });
    const key = await services.keyRing.openDataKey(w.tx, share.client_id);
    return presentShare(services.vault, key, { ...share, ...change }, level, now);
  });
}
