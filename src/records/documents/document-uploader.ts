/**
 * Adding a document or a new version (issue #11). Three steps, so no transaction stays open while
 * a large file streams in: (1) an audited check that the caller may write to the client, which
 * opens the file key; (2) the stream, encrypted, into the blob store; (3) one audited unit of work
 * that decides again (a wall may have gone up meanwhile), seals the title, filename and findings,
 * and inserts the rows with the `document.upload` event. A refusal at (3) or a failure at (2)
 * removes the blob and is audited; nothing is partly written.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { Readable, Transform } from "node:stream";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentList, authorizeDocumentWrite, type Decision } from "../../access/policy/policy.js";
import type { Level } from "../../access/policy/roles.js";
import { type AuditedWork, type Refusal, runAudited } from "../../platform/audit/audited.js";
import { AppError, ConflictError, GoneError, ValidationError } from "../../platform/errors.js";
import type { FieldIssue } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import type { DataKey } from "../../vault/vault.js";
import { refuseRecord } from "../clients/client-access.js";
import { sniffMediaType } from "./content/index.js";
import { type DocumentClient, type DocumentEvent, loadDocument, loadDocumentClient } from "./document-access.js";
import { CATEGORY_LEVELS, DOCUMENT_CATEGORIES, type DocumentCategory, effectiveLevel, type PresentedDocument } from "./document.js";
import { intakeContent, type Intake } from "./document-intake.js";
import { presentDocument } from "./document-present.js";
import { scanDocument, type ScanResult } from "./document-scan.js";
import { blobKeyFor, insertDocument, insertVersion, sealDocumentText, sealFindings } from "./document-store.js";

export interface DocumentDraft {
  clientId: string;
  matterId?: string | null;
  category: string;
  /** At least the category's default; the scan may raise it further. */
  level?: number | null;
  title: string;
  filename: string;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const FILENAME_FORBIDDEN = /[/\\\u0000-\u001f\u007f]/;

export function validateDraft(draft: DocumentDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const title = typeof draft.title === "string" ? draft.title.trim() : "";
  if (title.length < 1 || title.length > 200 || CONTROL.test(title))
    issues.push({ field: "title", code: "format", message: "Give a title of 1 to 200 characters." });
  const filename = typeof draft.filename === "string" ? draft.filename : "";
  if (filename.length < 1 || filename.length > 255 || FILENAME_FORBIDDEN.test(filename) || filename === "." || filename === "..")
    issues.push({ field: "filename", code: "format", message: "Give a file name of 1 to 255 characters without slashes or control characters." });
  if (!(DOCUMENT_CATEGORIES as readonly string[]).includes(draft.category))
    issues.push({ field: "category", code: "invalid_value", message: "Not a document category." });
  else if (draft.level != null) {
    if (!Number.isInteger(draft.level) || draft.level < 1 || draft.level > 4)
      issues.push({ field: "level", code: "invalid_value", message: "A level is 1 to 4." });
    else if (draft.level < CATEGORY_LEVELS[draft.category as DocumentCategory])
      issues.push({ field: "level", code: "below_category", message: "The level may not be below the category's default." });
  }
  return issues;
}

/** A write is refused as any client access is: a wall answers 404 and raises its alert. */
function refuseWrite(w: AuditedWork, ctx: RequestContext, client: DocumentClient, event: DocumentEvent): Refusal | null {
  for (const decision of [
    authorizeDocumentList(ctx.actor, client.purpose, client.record, client.relation),
    authorizeDocumentWrite(ctx.actor, client.record, client.relation),
  ] as Decision[]) {
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, client.relation, event);
  }
  return null;
}

interface Opened {
  documentId: string;
  version: number;
  wrappedFileKey: Buffer;
  dataKey: DataKey;
  encryptor: Transform;
}

/** Streams the content in, then scans it; any failure is audited and leaves no blob. */
async function receive(services: Services, ctx: RequestContext, opened: Opened, event: DocumentEvent, content: Readable) {
  const blobKey = blobKeyFor(opened.documentId, opened.version, randomBytes(6).toString("hex"));
  let intake: Intake;
  try {
    intake = await intakeContent(services, blobKey, opened.encryptor, content);
  } catch (error) {
    const code = error instanceof AppError ? error.code : "upload_failed";
    await runAudited(services, ctx, async (w) =>
      w.refuse(error instanceof AppError ? error : new AppError(500, code, "The upload failed."), event, "failure"),
    ).catch(() => {});
    throw error;
  }
  const mediaType = await sniffMediaType(intake.head);
  const scan = await scanDocument(intake.plaintext, mediaType);
  intake.plaintext?.fill(0);
  return { blobKey, intake, mediaType, scan };
}

const scanDetails = (scan: ScanResult) => ({
  scan: scan.status,
  findingTypes: scan.findings ? Object.keys(scan.findings.summary) : [],
  findings: scan.findings ? scan.findings.places.length : 0,
});

/** A document made from another (a redacted copy): recorded as `document.redact`, linked to its source. */
export interface Derivation {
  from: string;
  version: number;
  details: Record<string, number | string>;
}

/** Adds a document to a client (and optionally one of its matters) from a stream of its content. */
export async function uploadDocument(
  services: Services,
  ctx: RequestContext,
  draft: DocumentDraft,
  content: Readable,
  derivation?: Derivation,
): Promise<PresentedDocument> {
  const event: DocumentEvent = { action: derivation ? "document.redact" : "document.upload", targetType: "client", targetId: draft.clientId };
  const opened = await runAudited(services, ctx, async (w): Promise<Opened | Refusal> => {
    const issues = validateDraft(draft);
    if (issues.length) return w.refuse(ValidationError(issues), { ...event, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    const client = await loadDocumentClient(services, ctx, w, draft.clientId, event);
    if (!("row" in client)) return client;
    const refused = refuseWrite(w, ctx, client, event);
    if (refused) return refused;
    if (draft.matterId) {
      const matter = await w.tx.selectFrom("matters").select(["client_id"]).where("id", "=", draft.matterId).executeTakeFirst();
      if (matter?.client_id !== draft.clientId)
        return w.refuse(ValidationError([{ field: "matterId", code: "not_this_client", message: "Not a matter of this client." }]), event, "failure");
    }
    const dataKey = await services.keyRing.openDataKey(w.tx, draft.clientId);
    if (!dataKey) return w.refuse(GoneError(), event);
    const documentId = randomUUID();
    const wrappedFileKey = services.vault.newFileKey(dataKey, documentId);
    const encryptor = services.vault.fileEncryptor(dataKey, wrappedFileKey, { documentId, version: 1 });
    return { documentId, version: 1, wrappedFileKey, dataKey, encryptor };
  });
  const received = await receive(services, ctx, opened, { ...event, details: { documentId: opened.documentId } }, content);
  try {
    return await runAudited(services, ctx, async (w) => {
      const client = await loadDocumentClient(services, ctx, w, draft.clientId, event);
      if (!("row" in client)) return client;
      const refused = refuseWrite(w, ctx, client, event);
      if (refused) return refused;
      const now = new Date().toISOString();
      const chosen = (draft.level ?? CATEGORY_LEVELS[draft.category as DocumentCategory]) as Level;
      const level = effectiveLevel(chosen, received.scan.detectedLevel);
      const { documentId, dataKey } = opened;
      const vault = services.vault;
      const document = {
        id: documentId,
        client_id: draft.clientId,
        matter_id: draft.matterId ?? null,
        category: draft.category,
        level,
        title_ct: sealDocumentText(vault, dataKey, documentId, "title", draft.title.trim()),
        filename_ct: sealDocumentText(vault, dataKey, documentId, "filename", draft.filename),
        wrapped_file_key: opened.wrappedFileKey,
        current_version: 1,
        derived_from: derivation?.from ?? null,
        derived_version: derivation?.version ?? null,
        created_by: ctx.actor.userId,
        created_at: now,
        updated_at: now,
        checked_out_by: null,
        checked_out_at: null,
        destroyed_at: null,
        destroyed_reason: null,
      };
      const version = versionRow(services, opened, received, ctx.actor.userId, now);
      await insertDocument(w.tx, document, version);
      w.record({
        ...event,
        outcome: "success",
        reason: "permitted",
        details: {
          documentId,
          version: 1,
          category: draft.category,
          level,
          mediaType: received.mediaType,
          sizeBytes: received.intake.sizeBytes,
          ...scanDetails(received.scan),
          ...(derivation ? { derivedFrom: derivation.from, derivedVersion: derivation.version, ...derivation.details } : {}),
        },
      });
      return presentDocument(
        vault,
        { actor: ctx.actor, purpose: client.purpose, record: client.record, relation: client.relation, key: dataKey },
        { ...document, ...version },
      );
    });
  } catch (error) {
    await services.blobs.delete(received.blobKey);
    throw error;
  }
}

function versionRow(services: Services, opened: Opened, received: Awaited<ReturnType<typeof receive>>, userId: string, now: string) {
  return {
    document_id: opened.documentId,
    version: opened.version,
    blob_key: received.blobKey,
    size_bytes: received.intake.sizeBytes,
    media_type: received.mediaType,
    content_mac: received.intake.contentMac,
    scan_status: received.scan.status,
    findings_ct: received.scan.findings ? sealFindings(services.vault, opened.dataKey, opened.documentId, opened.version, received.scan.findings) : null,
    detected_level: received.scan.detectedLevel,
    uploaded_by: userId,
    uploaded_at: now,
  };
}

export const DocumentCheckedOutError = () => ConflictError("document_checked_out", "Someone else has checked this document out; ask them to check it in.");
export const VersionConflictError = () => ConflictError("version_conflict", "Another version was uploaded meanwhile; reload and retry.");

/** Uploads a new version of a document: earlier versions stay readable under the same rules. */
export async function uploadVersion(services: Services, ctx: RequestContext, documentId: string, content: Readable): Promise<PresentedDocument> {
  const event: DocumentEvent = { action: "document.version", targetType: "document", targetId: documentId };
  const lockedByOther = (holder: string | null) => holder !== null && holder !== ctx.actor.userId;
  const opened = await runAudited(services, ctx, async (w): Promise<Opened | Refusal> => {
    const found = await loadDocument(services, ctx, w, documentId, event);
    if (!("document" in found)) return found;
    const refused = refuseWrite(w, ctx, found, event);
    if (refused) return refused;
    if (lockedByOther(found.document.checked_out_by)) return w.refuse(DocumentCheckedOutError(), event, "failure");
    const dataKey = await services.keyRing.openDataKey(w.tx, found.document.client_id);
    if (!dataKey || !found.document.wrapped_file_key) return w.refuse(GoneError(), event);
    const version = found.document.current_version + 1;
    const wrappedFileKey = found.document.wrapped_file_key;
    return { documentId, version, wrappedFileKey, dataKey, encryptor: services.vault.fileEncryptor(dataKey, wrappedFileKey, { documentId, version }) };
  });
  const received = await receive(services, ctx, opened, event, content);
  try {
    return await runAudited(services, ctx, async (w) => {
      const found = await loadDocument(services, ctx, w, documentId, event);
      if (!("document" in found)) return found;
      const refused = refuseWrite(w, ctx, found, event);
      if (refused) return refused;
      if (lockedByOther(found.document.checked_out_by)) return w.refuse(DocumentCheckedOutError(), event, "failure");
      const now = new Date().toISOString();
      const level = effectiveLevel(found.document.level as Level, received.scan.detectedLevel);
      const version = versionRow(services, opened, received, ctx.actor.userId, now);
      if (!(await insertVersion(w.tx, version, level))) return w.refuse(VersionConflictError(), event, "failure");
      w.record({
        ...event,
        outcome: "success",
        reason: "permitted",
        details: {
          clientId: found.document.client_id,
          version: opened.version,
          level,
          mediaType: received.mediaType,
          sizeBytes: received.intake.sizeBytes,
          ...scanDetails(received.scan),
        },
      });
      const document = { ...found.document, level, current_version: opened.version, updated_at: now };
      return presentDocument(
        services.vault,
        { actor: ctx.actor, purpose: found.purpose, record: found.record, relation: found.relation, key: opened.dataKey },
        { ...document, ...version },
      );
    });
  } catch (error) {
    await services.blobs.delete(received.blobKey);
    throw error;
  }
}
