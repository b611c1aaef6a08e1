/**
 * Handing out a document's content (issue #11): a download is a copy (APR-1), registered with the
 * fingerprint it carries, and PDFs carry a visible Chinese watermark naming the downloader, the
 * time and the request. Files up to BUFFERED_MAX_BYTES (and every PDF or DOCX, which are marked
 * whole) are decrypted and verified before the first byte leaves, so a tampered file is refused
 * with an audited `file_integrity` error; larger ones stream, and a failure mid-way cuts the
 * response and is audited then.
 */
import { randomBytes } from "node:crypto";
import { pipeline, type Readable } from "node:stream";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentContent, type ClientRelation, type Decision, type GuardedRecord } from "../../access/policy/policy.js";
import type { Level } from "../../access/policy/roles.js";
import { type AuditedWork, type Refusal, runAudited } from "../../platform/audit/audited.js";
import { BlobNotFoundError } from "../../platform/blobs/blob-store.js";
import type { DbDocument, DbDocumentVersion } from "../../platform/db/schema.js";
import { AppError, GoneError, NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { FileIntegrityError } from "../../vault/file-cipher.js";
import { refuseRecord, viaDetails } from "../clients/client-access.js";
import { type DocumentMediaType, extractText } from "./content/index.js";
import { type DocumentEvent, loadDocument } from "./document-access.js";
import { SCAN_MAX_BYTES } from "./document.js";
import { findVersion, openDocumentText, registerCopy, sizeOf } from "./document-store.js";
import { fingerprintDocx, WatermarkError, watermarkPdf } from "./watermark/index.js";

const UnmarkableError = (code: string) =>
  new AppError(code === "watermark_font_missing" ? 503 : 422, code, "This file cannot be watermarked, so it cannot be handed out.");

export const BUFFERED_MAX_BYTES = 16 * 1024 * 1024;
/** PDFs and DOCX are marked in memory; above this they are refused rather than handed out unmarked. */
export const MARKED_MAX_BYTES = 256 * 1024 * 1024;
const PDF = "application/pdf";
const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const FIRM_TIME_ZONE = "Asia/Shanghai";

export const FileIntegrityAppError = () => new AppError(500, "file_integrity", "The stored file failed its integrity check and was not delivered.");
const FileMissingError = () => new AppError(500, "file_missing", "The stored file is missing.");
const TooLargeToMarkError = () => new AppError(413, "document_too_large_to_mark", "This file is too large to watermark, so it cannot be handed out.");
const TooLargeToPreviewError = () => new AppError(413, "document_too_large_to_preview", "This file is too large to preview; ask for a download.");

export interface DeliveredContent {
  filename: string;
  mediaType: string;
  /** Null while streaming a large file (then the length is the version's size). */
  bytes: Buffer | null;
  stream: Readable | null;
  sizeBytes: number;
  /** The copy's fingerprint: for the response header, so the console can show it. */
  copyId: string;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface Opened {
  document: DbDocument;
  relation: ClientRelation;
  record: GuardedRecord;
  version: DbDocumentVersion;
  decision: Decision;
  filename: string;
  decrypted: () => Readable;
}

/** A stored version's filename and plaintext, for a caller already authorised. */
export interface StoredContent {
  filename: string;
  decrypted: () => Readable;
}

/** Opens one version of a document; null once its key is gone (the client erased, the document destroyed). */
export async function openStoredVersion(services: Services, w: AuditedWork, document: DbDocument, version: DbDocumentVersion): Promise<StoredContent | null> {
  const key = await services.keyRing.openDataKey(w.tx, document.client_id);
  if (!key || !document.wrapped_file_key) return null;
  const wrapped = document.wrapped_file_key;
  const filename = document.filename_ct ? openDocumentText(services.vault, key, document.id, "filename", document.filename_ct) : "document";
  const binding = { documentId: document.id, version: version.version };
  // A fresh decryptor per read (each holds its own segment state); pipeline hands on the store's errors too.
  const decrypted = (): Readable => pipeline(services.blobs.get(version.blob_key), services.vault.fileDecryptor(key, wrapped, binding), () => {});
  return { filename, decrypted };
}

/** Loads, authorises and opens one version for `use`; every refusal is audited. */
export async function openContent(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  documentId: string,
  use: "preview" | "download",
  event: DocumentEvent,
  versionNo?: number,
) {
  const found = await loadDocument(services, ctx, w, documentId, event);
  if (!("document" in found)) return found;
  const { document } = found;
  const decision = authorizeDocumentContent(ctx.actor, use, found.purpose, found.record, found.relation, { level: document.level as Level });
  if (decision.effect === "deny") return refuseRecord(w, ctx, decision, found.relation, event);
  const version = await findVersion(w.tx, documentId, versionNo ?? document.current_version);
  if (!version) return w.refuse(NotFoundError("Version"), event, "failure");
  const stored = await openStoredVersion(services, w, document, version);
  if (!stored) return w.refuse(GoneError(), event);
  return { document, version, decision, ...stored, relation: found.relation, record: found.record } satisfies Opened;
}

/** Decrypts a whole version in memory, or refuses (audited) a tampered or missing file. */
export async function decryptWhole(w: AuditedWork, opened: Pick<Opened, "decrypted">, event: DocumentEvent) {
  try {
    return await readAll(opened.decrypted());
  } catch (error) {
    if (error instanceof FileIntegrityError)
      return w.refuse(FileIntegrityAppError(), { ...event, details: { ...event.details, integrity: error.reason, segment: error.segment } }, "failure");
    if (error instanceof BlobNotFoundError) return w.refuse(FileMissingError(), event, "failure");
    throw error;
  }
}

/** The firm's wall-clock time of a copy, as its watermark shows it. */
export const stampTime = (at: Date): string =>
  new Intl.DateTimeFormat("zh-CN", { timeZone: FIRM_TIME_ZONE, dateStyle: "short", timeStyle: "short", hourCycle: "h23" }).format(at);

function stampLines(displayName: string, requestId: string, at: Date): string[] {
  return [`保密 · ${displayName} · ${stampTime(at)}（北京时间）`, `请求 ${requestId.slice(0, 8)} · 仅限本人使用，禁止复制转发`];
}

/** PDFs and DOCX carry their copy's marks; other types are handed out as stored. */
export const isMarked = (mediaType: string): boolean => mediaType === PDF || mediaType === DOCX;

/** A copy ready to hand out: whole bytes (marked when the type allows), or a stream for a large unmarked file. */
export interface PreparedCopy {
  bytes: Buffer | null;
  stream: Readable | null;
  marked: boolean;
}

/**
 * Decrypts, verifies and marks one copy: PDFs get the visible `lines` and the fingerprint, DOCX the
 * fingerprint. A large unmarked file is streamed instead (the caller audits a failure mid-way).
 * Refusals (too large to mark, tampered, missing) are audited with `event`.
 */
export async function prepareCopy(
  w: AuditedWork,
  source: Pick<Opened, "version" | "decrypted">,
  copyId: Buffer,
  lines: () => Promise<string[]>,
  event: DocumentEvent,
): Promise<PreparedCopy | Refusal> {
  const { version } = source;
  const size = sizeOf(version);
  const marked = isMarked(version.media_type);
  if (marked && size > MARKED_MAX_BYTES) return w.refuse(TooLargeToMarkError(), event, "failure");
  if (!marked && size > BUFFERED_MAX_BYTES) return { bytes: null, stream: source.decrypted(), marked };
  const plain = await decryptWhole(w, source, event);
  if (!Buffer.isBuffer(plain)) return plain;
  try {
    if (version.media_type === PDF) return { bytes: Buffer.from(await watermarkPdf(plain, { lines: await lines(), copyId })), stream: null, marked };
    if (version.media_type === DOCX) return { bytes: Buffer.from(await fingerprintDocx(plain, copyId)), stream: null, marked };
  } catch (error) {
    // A file that cannot be marked (encrypted, malformed, no font) is refused, never handed out unmarked.
    if (error instanceof WatermarkError) return w.refuse(UnmarkableError(error.code), event, "failure");
    throw error;
  }
  return { bytes: plain, stream: null, marked };
}

/** Downloads one version (default the current): a registered, fingerprinted copy. */
export async function downloadDocument(services: Services, ctx: RequestContext, documentId: string, versionNo?: number): Promise<DeliveredContent> {
  let streamFailure: ((error: Error) => void) | null = null;
  const delivered = await runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.download", targetType: "document", targetId: documentId };
    const opened = await openContent(services, ctx, w, documentId, "download", event, versionNo);
    if (!("decrypted" in opened)) return opened;
    const { document, version } = opened;
    const size = sizeOf(version);
    const copyId = randomBytes(16);
    const details = { clientId: document.client_id, version: version.version, copy: copyId.toString("hex"), ...viaDetails(opened.decision) };
    const lines = async () => {
      const user = await w.tx.selectFrom("users").select("display_name").where("id", "=", ctx.actor.userId).executeTakeFirst();
      return stampLines(user?.display_name ?? ctx.actor.userId, ctx.requestId, new Date());
    };
    const prepared = await prepareCopy(w, opened, copyId, lines, { ...event, details });
    if (!("marked" in prepared)) return prepared;
    const { bytes, stream, marked } = prepared;
    if (stream) {
      streamFailure = (error) => {
        void runAudited(services, ctx, async (failed) =>
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
      document_id: documentId,
      version: version.version,
      fingerprint: copyId.toString("hex"),
      kind: "download",
      user_id: ctx.actor.userId,
      share_id: null,
      watermarked: marked ? 1 : 0,
      request_id: ctx.requestId,
      created_at: new Date().toISOString(),
    });
    w.record({ ...event, outcome: "success", reason: "permitted", details: { ...details, watermarked: marked } });
    return { filename: opened.filename, mediaType: version.media_type, bytes, stream, sizeBytes: bytes ? bytes.length : size, copyId: copyId.toString("hex") };
  });
  const onFailure = streamFailure as ((error: Error) => void) | null;
  if (delivered.stream && onFailure) delivered.stream.once("error", onFailure);
  return delivered;
}

export interface DocumentPreview {
  pages: { page: number; text: string }[];
  method: string;
}

/** Previews a version as text per page in the console: reading, not copying, so no copy grant is needed. */
export async function previewDocument(services: Services, ctx: RequestContext, documentId: string, versionNo?: number): Promise<DocumentPreview> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.preview", targetType: "document", targetId: documentId };
    const opened = await openContent(services, ctx, w, documentId, "preview", event, versionNo);
    if (!("decrypted" in opened)) return opened;
    if (sizeOf(opened.version) > SCAN_MAX_BYTES) return w.refuse(TooLargeToPreviewError(), event, "failure");
    const details = { clientId: opened.document.client_id, version: opened.version.version, ...viaDetails(opened.decision) };
    const plain = await decryptWhole(w, opened, { ...event, details });
    if (!Buffer.isBuffer(plain)) return plain;
    const extracted = await extractText(plain, opened.version.media_type as DocumentMediaType, { ocr: true }).catch(() => null);
    plain.fill(0);
    const pages = extracted ? extracted.pages.map((p) => ({ page: p.page, text: extracted.text.slice(p.start, p.end) })) : [];
    w.record({ ...event, outcome: "success", reason: "permitted", details });
    return { pages, method: extracted?.method ?? "none" };
  });
}
