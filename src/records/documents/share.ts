/**
 * External shares of client documents (issue #11, "forward"): who may receive one, its limits,
 * its states, the link's shape, and what staff and recipients are shown.
 */
import type { Level } from "../../access/policy/roles.js";
import type { TokenShape } from "../../platform/crypto/bearer.js";
import { AppError, type FieldIssue } from "../../platform/errors.js";

export const RECIPIENT_KINDS = ["court", "opposing_counsel", "auditor", "regulator", "co_counsel", "expert", "other"] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

/** Stored states; `expired` is read from the expiry, never written, so no sweep is needed. */
export const SHARE_STATUSES = ["pending", "active", "revoked", "expired", "exhausted", "locked"] as const;
export type ShareStatus = (typeof SHARE_STATUSES)[number];

export const SHARE_MAX_DAYS = 30;
export const SHARE_DEFAULT_DAYS = 7;
export const SHARE_MAX_DOWNLOADS = 20;
/** A code is good for one download, for a day; the recipient asks for another for the next one. */
export const CODE_TTL_MS = 24 * 3600_000;
/** At most one code a minute: asking again does not spam the recipient's mailbox. */
export const CODE_RESEND_MS = 60_000;
/** Wrong codes in a row before the link locks for good (a new share is then needed). */
export const MAX_CODE_ATTEMPTS = 5;
/** Requests to share links per address per hour, counted in the database so every server shares them. */
export const SHARE_REQUESTS_PER_ADDRESS_PER_HOUR = 30;

/** The link's secret: `cds_<43>`; the share is found by its keyed MAC, so the link carries no id. */
export const SHARE_LINK_TOKEN: TokenShape = Object.freeze({ prefix: "cds_", idBytes: 0, secretBytes: 32 });
export const LINK_MAC_PURPOSE = "document-share-link";
export const CODE_MAC_PURPOSE = "document-share-code";
export const ADDRESS_MAC_PURPOSE = "document-share-address";
export const EMAIL_MAC_PURPOSE = "document-share-recipient";
/** Where a recipient opens a link: the web page that calls /api/v1/shared/{token}. */
export const sharePath = (token: string) => `/shared/${token}`;

export interface ShareRecipient {
  kind: RecipientKind;
  name: string;
  organisation: string | null;
  email: string;
}

export interface ShareDraft {
  recipient: Omit<ShareRecipient, "organisation"> & { organisation?: string | null | undefined };
  /** Days until the link expires: 1 to 30 (default 7). */
  expiresInDays?: number | undefined;
  /** 1 to 20 (default 1). */
  maxDownloads?: number | undefined;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
// Deliberately plain: one @, no spaces or control characters, a dot in the domain. The code's
// delivery is the real test of the address.
const EMAIL = /^[^\s@\u0000-\u001f\u007f]{1,64}@[^\s@\u0000-\u001f\u007f]{1,190}\.[^\s@.\u0000-\u001f\u007f]{2,63}$/u;

export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/** Per-field issues of a share draft; an empty list means it may be made. */
export function validateShareDraft(draft: ShareDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const r = draft.recipient ?? ({} as Partial<ShareRecipient>);
  if (!(RECIPIENT_KINDS as readonly string[]).includes(r.kind as string))
    issues.push({ field: "recipient.kind", code: "invalid_value", message: "Not a recipient kind." });
  const name = typeof r.name === "string" ? r.name.trim() : "";
  if (name.length < 1 || name.length > 100 || CONTROL.test(name))
    issues.push({ field: "recipient.name", code: "format", message: "Give a name of 1 to 100 characters." });
  if (r.organisation != null) {
    const org = typeof r.organisation === "string" ? r.organisation.trim() : "";
    if (org.length < 1 || org.length > 200 || CONTROL.test(org))
      issues.push({ field: "recipient.organisation", code: "format", message: "Give an organisation of 1 to 200 characters, or none." });
  }
  if (typeof r.email !== "string" || r.email.length > 254 || !EMAIL.test(normaliseEmail(r.email)))
    issues.push({ field: "recipient.email", code: "format", message: "Give the recipient's email address." });
  const days = draft.expiresInDays ?? SHARE_DEFAULT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > SHARE_MAX_DAYS) issues.push({ field: "expiresInDays", code: "too_big", message: "Between 1 and 30 days." });
  const downloads = draft.maxDownloads ?? 1;
  if (!Number.isInteger(downloads) || downloads < 1 || downloads > SHARE_MAX_DOWNLOADS)
    issues.push({ field: "maxDownloads", code: "too_big", message: "Between 1 and 20 downloads." });
  return issues;
}

/** The state a share is in at `now`: revoked, locked and exhausted stand; an open link past its expiry is expired. */
export function shareStatusAt(row: { status: string; expires_at: string }, now: Date): ShareStatus {
  if (row.status === "revoked" || row.status === "locked" || row.status === "exhausted") return row.status;
  return Date.parse(row.expires_at) <= now.getTime() ? "expired" : (row.status as ShareStatus);
}

/** A share as staff see it. The recipient is null when the reader may not see it (masked, or the client erased). */
export interface PresentedShare {
  id: string;
  documentId: string;
  version: number;
  clientId: string;
  level: Level;
  sharedBy: string;
  recipientKind: RecipientKind;
  recipient: { name: string; organisation: string | null; email: string } | null;
  purpose: string;
  grantId: string;
  status: ShareStatus;
  expiresAt: string;
  maxDownloads: number;
  downloads: number;
  codeSentAt: string | null;
  confirmedBy: string | null;
  confirmedAt: string | null;
  revokedBy: string | null;
  revokedAt: string | null;
  createdAt: string;
}

/** What a link shows before its code: the firm, the state and the limits; never the document or the recipient. */
export interface SharedLinkInfo {
  firm: string | null;
  status: ShareStatus;
  expiresAt: string;
  downloadsLeft: number;
  /** A code was sent and is still good. */
  codeActive: boolean;
}

export const SharePendingError = () => new AppError(409, "share_pending", "This link is not active yet; the firm has still to confirm it.");
export const ShareNotPendingError = () => new AppError(409, "share_not_pending", "This share is not awaiting confirmation.");
export const ShareAlreadyRevokedError = () => new AppError(409, "share_already_revoked", "This share is already revoked.");
export const ShareRevokedError = () => new AppError(410, "share_revoked", "The sender withdrew this link.");
export const ShareExpiredError = () => new AppError(410, "share_expired", "This link has expired.");
export const ShareExhaustedError = () => new AppError(410, "share_exhausted", "This link has been used as many times as allowed.");
export const ShareLockedError = () => new AppError(423, "share_locked", "Too many wrong codes: this link is locked. Ask the sender for a new one.");
export const ShareCodeInvalidError = () => new AppError(403, "share_code_invalid", "The code is wrong, expired or already used; ask for a new one.");
export const ShareCodeThrottledError = () =>
  new AppError(429, "share_code_throttled", "A code was sent less than a minute ago; check the recipient's mailbox.");
export const ShareRateLimitedError = () => new AppError(429, "share_rate_limited", "Too many requests from this address; try again later.");
