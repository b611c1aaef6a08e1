/** Privacy notices (CON-1): versioned, bilingual, immutable once published. */
import { sha256Hex } from "../../platform/crypto/secrets.js";
import type { DbPrivacyNotice } from "../../platform/db/schema.js";
import { AppError } from "../../platform/errors.js";

export const NOTICE_LANGUAGES = ["zh-CN", "en"] as const;
export type NoticeLanguage = (typeof NOTICE_LANGUAGES)[number];

export interface NoticeContent {
  effectiveFrom: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

export interface Notice extends NoticeContent {
  version: number;
  status: "draft" | "published";
  /** SHA-256 (hex) of the canonical content; null while a draft. */
  contentHash: string | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

/**
 * The "what was shown" evidence: SHA-256 over a JSON array of the version and every text, so no
 * shift of characters between fields gives the same hash. The array order is the contract.
 */
export function noticeContentHash(version: number, content: NoticeContent): string {
  const canonical = JSON.stringify(["custodia.notice.v1", version, content.effectiveFrom, content.titleZh, content.titleEn, content.bodyZh, content.bodyEn]);
  return sha256Hex(canonical);
}

export function noticeFromRow(row: DbPrivacyNotice): Notice {
  return {
    version: row.version,
    status: row.status === "published" ? "published" : "draft",
    effectiveFrom: row.effective_from,
    titleZh: row.title_zh,
    titleEn: row.title_en,
    bodyZh: row.body_zh,
    bodyEn: row.body_en,
    contentHash: row.content_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    publishedAt: row.published_at,
  };
}

/** What the public sees: one language of the notice in force, with its hash. */
export function presentNotice(notice: Notice, language: NoticeLanguage) {
  return {
    version: notice.version,
    language,
    title: language === "zh-CN" ? notice.titleZh : notice.titleEn,
    body: language === "zh-CN" ? notice.bodyZh : notice.bodyEn,
    effectiveFrom: notice.effectiveFrom,
    publishedAt: notice.publishedAt as string,
    contentHash: notice.contentHash as string,
  };
}

export const NoticePublishedError = () => new AppError(409, "notice_published", "This notice version is published and cannot change; draft a new version.");
export const NoticeNotInForceError = () => new AppError(404, "notice_not_in_force", "No privacy notice is in force.");
