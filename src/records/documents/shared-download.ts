/**
 * The recipient's side of a share (issue #11): no staff sign-in, only the link and the one-time
 * code sent to the recipient. Every use is one unit of work with the portal as its actor (the
 * recipient is nobody on staff), recorded with a keyed MAC of the address; requests are counted per
 * address in the database (as the portal's are), wrong codes lock the link, and the file handed
 * out is a registered copy watermarked with the recipient's name and the share.
 */
import { randomBytes } from "node:crypto";
import type { Readable } from "node:stream";
import { type AuditedWork, type Refusal, runUnitOfWork } from "../../platform/audit/audited.js";
import { parseToken } from "../../platform/crypto/bearer.js";
import { constantTimeEqual } from "../../platform/crypto/secrets.js";
import type { DbDocumentShare } from "../../platform/db/schema.js";
import { GoneError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { countAgainst } from "../../rights/requests/portal-intake.js";
import { FileIntegrityError } from "../../vault/file-cipher.js";
import type { DocumentEvent } from "./document-access.js";
import { FileIntegrityAppError, openStoredVersion, prepareCopy, stampTime } from "./document-downloader.js";
import { findDocument, findVersion, registerCopy, sizeOf } from "./document-store.js";
import {
  ADDRESS_MAC_PURPOSE,
  CODE_RESEND_MS,
  LINK_MAC_PURPOSE,
  MAX_CODE_ATTEMPTS,
  SHARE_LINK_TOKEN,
  SHARE_REQUESTS_PER_ADDRESS_PER_HOUR,
  ShareCodeInvalidError,
  ShareCodeThrottledError,
  ShareExhaustedError,
  ShareExpiredError,
  type SharedLinkInfo,
  ShareLockedError,
  SharePendingError,
  ShareRateLimitedError,
  ShareRevokedError,
  shareStatusAt,
} from "./share.js";
import { firmName, sendShareCode, shareCodeMac } from "./share-code.js";
import { findShareByLink, openRecipient, recordShareAccess, updateShare } from "./share-store.js";

/** Who is at the other end: the HTTP request's id and address (kept only as a MAC). */
export interface ShareCaller {
  requestId: string;
  address: string;
}

export interface SharedFile {
  filename: string;
  mediaType: string;
  bytes: Buffer | null;
  stream: Readable | null;
  sizeBytes: number;
}

const runAsRecipient = <T>(services: Services, caller: ShareCaller, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> =>
  runUnitOfWork(services, { actor: { kind: "portal" }, requestId: caller.requestId, purpose: null }, work);

interface Link {
  share: DbDocumentShare;
  addressMac: string;
  now: Date;
  event: DocumentEvent;
}

/**
 * Counts the request against its address, then finds the share the link names; an unknown or
 * malformed link is a 404 like any other, audited without an id.
 */
async function followLink(services: Services, w: AuditedWork, caller: ShareCaller, token: string, action: string): Promise<Link | Refusal> {
  const now = new Date();
  const addressMac = services.vault.mac(ADDRESS_MAC_PURPOSE, caller.address);
  const unknown = { action, targetType: "document_share", targetId: null };
  if (!(await countAgainst(w.tx, `share-ip:${addressMac}`, SHARE_REQUESTS_PER_ADDRESS_PER_HOUR, 3600_000, now)))
    return w.refuse(ShareRateLimitedError(), { ...unknown, details: { limit: "address" } });
  const parsed = parseToken(token, SHARE_LINK_TOKEN);
  const share = parsed ? await findShareByLink(w.tx, services.vault.mac(LINK_MAC_PURPOSE, parsed.secret)) : undefined;
  if (!share) return w.refuse(NotFoundError("Link"), { ...unknown, reason: "unknown_link" }, "failure");
  const event = {
    action,
    targetType: "document_share",
    targetId: share.id,
    details: { documentId: share.document_id, clientId: share.client_id, sharedBy: share.created_by },
  };
  return { share, addressMac, now, event };
}

/** A link that cannot be used now is refused with its state, and the attempt recorded. */
async function refuseClosed(w: AuditedWork, link: Link): Promise<Refusal | null> {
  const status = shareStatusAt(link.share, link.now);
  const error =
    status === "pending"
      ? SharePendingError()
      : status === "revoked"
        ? ShareRevokedError()
        : status === "expired"
          ? ShareExpiredError()
          : status === "exhausted"
            ? ShareExhaustedError()
            : status === "locked"
              ? ShareLockedError()
              : null;
  if (!error) return null;
  await recordShareAccess(w.tx, link.share.id, "refused", link.addressMac, link.now.toISOString());
  return w.refuse(error, link.event, "failure");
}

/** What the link shows before any code: the firm, its state and its limits. Opening it is recorded. */
export async function openSharedLink(services: Services, caller: ShareCaller, token: string): Promise<SharedLinkInfo> {
  return runAsRecipient(services, caller, async (w) => {
    const link = await followLink(services, w, caller, token, "document.share_open");
    if (!("share" in link)) return link;
    const { share, now } = link;
    const status = shareStatusAt(share, now);
    await recordShareAccess(w.tx, share.id, "opened", link.addressMac, now.toISOString());
    w.record({ ...link.event, outcome: "success", details: { ...link.event.details, status } });
    return {
      firm: firmName(),
      status,
      expiresAt: share.expires_at,
      downloadsLeft: Math.max(0, share.max_downloads - share.downloads),
      codeActive: share.code_mac !== null && share.code_expires_at !== null && Date.parse(share.code_expires_at) > now.getTime(),
    };
  });
}

/** Sends the recipient a fresh code (the previous one stops working); at most one a minute. */
export async function requestShareCode(services: Services, caller: ShareCaller, token: string): Promise<{ codeExpiresAt: string }> {
  return runAsRecipient(services, caller, async (w) => {
    const link = await followLink(services, w, caller, token, "document.share_code");
    if (!("share" in link)) return link;
    const closed = await refuseClosed(w, link);
    if (closed) return closed;
    const { share, now } = link;
    if (share.code_sent_at && now.getTime() - Date.parse(share.code_sent_at) < CODE_RESEND_MS)
      return w.refuse(ShareCodeThrottledError(), link.event, "failure");
    const key = await services.keyRing.openDataKey(w.tx, share.client_id);
    if (!key) return w.refuse(GoneError(), link.event);
    const code = await sendShareCode(services, w.tx, share.id, openRecipient(services.vault, key, share).email, now);
    if (!(await updateShare(w.tx, share, code))) return w.refuse(ShareCodeThrottledError(), link.event, "failure");
    await recordShareAccess(w.tx, share.id, "code_sent", link.addressMac, now.toISOString());
    w.record({ ...link.event, outcome: "success" });
    return { codeExpiresAt: code.code_expires_at };
  });
}

/** Whether the code is the share's current one, in constant time. */
function codeMatches(services: Services, share: DbDocumentShare, code: string, now: Date): boolean {
  if (!share.code_mac || !share.code_expires_at || Date.parse(share.code_expires_at) <= now.getTime()) return false;
  // Constant-time comparison: no timing side channel on the code.
  return constantTimeEqual(share.code_mac, shareCodeMac(services, share.id, code));
}

/** A wrong code costs an attempt, committed with the refusal; the last allowed one locks the link. */
async function refuseWrongCode(w: AuditedWork, link: Link): Promise<Refusal> {
  const { share, now } = link;
  const attempts = share.code_attempts + 1;
  const lock = attempts >= MAX_CODE_ATTEMPTS;
  await updateShare(w.tx, share, { code_attempts: attempts, ...(lock ? { status: "locked", code_mac: null, code_expires_at: null } : {}) });
  await recordShareAccess(w.tx, share.id, "code_wrong", link.addressMac, now.toISOString());
  if (lock)
    w.recordEvenIfRefused({
      ...link.event,
      action: "document.share_lock",
      outcome: "success",
      reason: "code_attempts_exhausted",
      details: { ...link.event.details, attempts },
    });
  return w.refuse(
    lock ? ShareLockedError() : ShareCodeInvalidError(),
    { ...link.event, reason: "code_wrong", details: { ...link.event.details, attempt: attempts } },
    "denied",
  );
}

/** Downloads the shared version with the current code: a registered copy, watermarked for the recipient. */
export async function downloadShared(services: Services, caller: ShareCaller, token: string, code: string): Promise<SharedFile> {
  let streamFailure: ((error: Error) => void) | null = null;
  const delivered = await runAsRecipient(services, caller, async (w) => {
    const link = await followLink(services, w, caller, token, "document.share_download");
    if (!("share" in link)) return link;
    const closed = await refuseClosed(w, link);
    if (closed) return closed;
    if (!codeMatches(services, link.share, code, link.now)) return refuseWrongCode(w, link);
    const { share, now, event } = link;
    const document = await findDocument(w.tx, share.document_id);
    const version = document && document.destroyed_at === null ? await findVersion(w.tx, share.document_id, share.version) : undefined;
    const stored = document && version ? await openStoredVersion(services, w, document, version) : null;
    if (!version || !stored) return w.refuse(GoneError(), event);
    const key = (await services.keyRing.openDataKey(w.tx, share.client_id))!;
    const recipient = openRecipient(services.vault, key, share);
    const copyId = randomBytes(16);
    const details = { ...event.details, version: version.version, copy: copyId.toString("hex") };
    const lines = async () => [
      `保密 · 仅供 ${recipient.name}${recipient.organisation ? `（${recipient.organisation}）` : ""} · ${stampTime(now)}（北京时间）`,
      `共享 ${share.id} · 请求 ${caller.requestId.slice(0, 8)} · 禁止复制转发`,
    ];
    const prepared = await prepareCopy(w, { version, decrypted: stored.decrypted }, copyId, lines, { ...event, details });
    if (!("marked" in prepared)) return prepared;
    const downloads = share.downloads + 1;
    const change = { downloads, code_mac: null, code_expires_at: null, code_attempts: 0, ...(downloads >= share.max_downloads ? { status: "exhausted" } : {}) };
    // Another request spent this code (or the last download) first.
    if (!(await updateShare(w.tx, share, change))) return w.refuse(ShareCodeInvalidError(), { ...event, reason: "code_spent" }, "failure");
    if (prepared.stream) {
      streamFailure = (error) => {
        void runAsRecipient(services, caller, async (failed) =>
          failed.refuse(
            FileIntegrityAppError(),
            { ...event, details: { ...details, integrity: error instanceof FileIntegrityError ? error.reason : "stream" } },
            "failure",
          ),
        ).catch(() => {});
      };
    }
    await registerCopy(w.tx, {
      id: copyId.toString("hex"),
      document_id: share.document_id,
      version: version.version,
      fingerprint: copyId.toString("hex"),
      kind: "share",
      user_id: null,
      share_id: share.id,
      watermarked: prepared.marked ? 1 : 0,
      // The trace names the copy's audit event by this request id.
      request_id: caller.requestId,
      created_at: now.toISOString(),
    });
    await recordShareAccess(w.tx, share.id, "downloaded", link.addressMac, now.toISOString());
    w.record({ ...event, outcome: "success", details: { ...details, watermarked: prepared.marked, downloads } });
    const { bytes, stream } = prepared;
    return { filename: stored.filename, mediaType: version.media_type, bytes, stream, sizeBytes: bytes ? bytes.length : sizeOf(version) };
  });
  const onFailure = streamFailure as ((error: Error) => void) | null;
  if (delivered.stream && onFailure) delivered.stream.once("error", onFailure);
  return delivered;
}
