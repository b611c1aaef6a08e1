import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { NOTICE_LANGUAGES } from "../../../rights/notices/notice.js";

// Titles are one line; bodies may span lines (src/http/schema-text.ts refuses control characters).
const text = (max: number, multiline = false) => humanText({ multiline }).min(1).max(max);
const isoTime = z.iso.datetime({ offset: true });

export const NoticeVersionParams = z.strictObject({ version: z.coerce.number().int().positive() });

export const NoticeDraftSchema = z.strictObject({
  effectiveFrom: isoTime.describe("When this version takes effect (ISO 8601)"),
  titleZh: text(200),
  titleEn: text(200),
  bodyZh: text(100_000, true).describe("Full notice text in Simplified Chinese"),
  bodyEn: text(100_000, true).describe("Full notice text in English"),
});
export type NoticeDraftRequest = z.infer<typeof NoticeDraftSchema>;

export const NoticePatchSchema = NoticeDraftSchema.partial().refine((v) => Object.keys(v).length > 0, { message: "Change at least one field." });
export type NoticePatchRequest = z.infer<typeof NoticePatchSchema>;

export const CurrentNoticeQuery = z.strictObject({ lang: z.enum(NOTICE_LANGUAGES).optional().describe("zh-CN | en; by default from Accept-Language") });

export const NoticeSchema = z.object({
  version: z.number(),
  status: z.enum(["draft", "published"]),
  effectiveFrom: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  bodyZh: z.string(),
  bodyEn: z.string(),
  contentHash: z.string().nullable().describe("SHA-256 of the published content; null while a draft"),
  createdAt: z.string(),
  updatedAt: z.string(),
  publishedAt: z.string().nullable(),
});

export const CurrentNoticeSchema = z.object({
  version: z.number(),
  language: z.enum(NOTICE_LANGUAGES),
  title: z.string(),
  body: z.string(),
  effectiveFrom: z.string(),
  publishedAt: z.string(),
  contentHash: z.string(),
});
