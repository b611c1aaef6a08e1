/**
 * Redacted copies (issue #11): a new document of the same client in which every value the detector
 * found, and every string the user marked, is removed from the content rather than covered
 * (redaction/). Making one reads the original (as a preview does) and writes a document, so it
 * needs both; the copy is stored, scanned and audited like any upload, as `document.redact`.
 */
import { Readable } from "node:stream";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentWrite } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { AppError, type FieldIssue, ValidationError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "../clients/client-access.js";
import type { DocumentEvent } from "./document-access.js";
import { SCAN_MAX_BYTES, type PresentedDocument } from "./document.js";
import { decryptWhole, openContent } from "./document-downloader.js";
import { openDocumentText, sizeOf } from "./document-store.js";
import { uploadDocument } from "./document-uploader.js";
import { RedactionError, redactDocument } from "./redaction/index.js";

export interface RedactionRequest {
  /** Strings to remove besides what the detector finds (a name, a case number). Never stored or logged. */
  marked?: string[];
}

export function validateRedaction(input: RedactionRequest): FieldIssue[] {
  const marked = input.marked ?? [];
  if (!Array.isArray(marked) || marked.length > 50 || marked.some((m) => typeof m !== "string" || m.trim().length < 2 || m.length > 200))
    return [{ field: "marked", code: "format", message: "Give up to 50 strings of 2 to 200 characters to remove." }];
  return [];
}

const TooLargeToRedactError = () => new AppError(413, "document_too_large_to_redact", "This file is too large to redact.");

export async function makeRedactedCopy(services: Services, ctx: RequestContext, documentId: string, input: RedactionRequest): Promise<PresentedDocument> {
  const event: DocumentEvent = { action: "document.redact", targetType: "document", targetId: documentId };
  const source = await runAudited(services, ctx, async (w) => {
    const issues = validateRedaction(input);
    if (issues.length) return w.refuse(ValidationError(issues), event, "failure");
    const opened = await openContent(services, ctx, w, documentId, "preview", event);
    if (!("decrypted" in opened)) return opened;
    const { document, version } = opened;
    const write = authorizeDocumentWrite(ctx.actor, opened.record, opened.relation);
    if (write.effect === "deny") return refuseRecord(w, ctx, write, opened.relation, event);
    if (sizeOf(version) > SCAN_MAX_BYTES) return w.refuse(TooLargeToRedactError(), event, "failure");
    const plain = await decryptWhole(w, opened, { ...event, details: { clientId: document.client_id, version: version.version } });
    if (!Buffer.isBuffer(plain)) return plain;
    let redacted: Awaited<ReturnType<typeof redactDocument>>;
    try {
      redacted = await redactDocument(plain, version.media_type, { marked: input.marked ?? [] });
    } catch (error) {
      if (error instanceof RedactionError)
        return w.refuse(new AppError(422, (error as RedactionError).code, "This file cannot be redacted."), event, "failure");
      throw error;
    } finally {
      plain.fill(0);
    }
    const key = await services.keyRing.openDataKey(w.tx, document.client_id);
    const title = key && document.title_ct ? openDocumentText(services.vault, key, document.id, "title", document.title_ct) : "";
    return { document, version: version.version, filename: opened.filename, title, redacted };
  });
  const { document, redacted } = source;
  const removed = Object.fromEntries(Object.entries(redacted.removed).map(([type, n]) => [`removed_${type}`, n ?? 0]));
  return uploadDocument(
    services,
    ctx,
    {
      clientId: document.client_id,
      matterId: document.matter_id,
      category: document.category,
      level: null,
      title: `${source.title}（脱敏副本）`.slice(0, 200),
      filename: `脱敏-${source.filename}`.slice(0, 255),
    },
    Readable.from([redacted.bytes]),
    { from: document.id, version: source.version, details: { method: redacted.method, ...removed } },
  );
}
