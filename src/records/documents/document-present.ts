/** A document as its caller sees it: sealed text opened only when shown, abilities from the policy. */
import type { Actor } from "../../access/policy/actor.js";
import {
  authorizeDocumentCheckIn,
  authorizeDocumentContent,
  authorizeDocumentShare,
  authorizeDocumentWrite,
  type ClientRelation,
  documentTitleShown,
  type GuardedRecord,
} from "../../access/policy/policy.js";
import type { Level } from "../../access/policy/roles.js";
import type { DbDocument, DbDocumentVersion } from "../../platform/db/schema.js";
import type { DataKey, Vault } from "../../vault/vault.js";
import type { DocumentAbilities, DocumentCategory, PresentedDocument, PresentedVersion, ScanStatus } from "./document.js";
import { openDocumentText, openFindings, sizeOf } from "./document-store.js";

export interface DocumentView {
  actor: Actor;
  purpose: string;
  record: GuardedRecord;
  relation: ClientRelation;
  /** Null once the client's key was shredded. */
  key: DataKey | null;
}

/** What the caller may do with one document: each a policy decision on the facts already loaded. */
export function documentAbilities(view: DocumentView, document: Pick<DbDocument, "level" | "checked_out_by">): DocumentAbilities {
  const level = document.level as Level;
  const content = (use: "preview" | "download") => authorizeDocumentContent(view.actor, use, view.purpose, view.record, view.relation, { level });
  const download = content("download");
  const write = authorizeDocumentWrite(view.actor, view.record, view.relation).effect === "allow";
  const holder = document.checked_out_by;
  const preview = content("preview").effect !== "deny";
  const share = authorizeDocumentShare(view.actor, view.purpose, view.record, view.relation, { level });
  const shareNeedsApproval = share.effect === "deny" && share.reason === "approval_required";
  return {
    preview,
    download: download.effect !== "deny",
    downloadNeedsApproval: download.effect === "deny" && download.reason === "approval_required",
    uploadVersion: write && (holder === null || holder === view.actor.userId),
    checkOut: write && holder === null,
    checkIn: holder !== null && authorizeDocumentCheckIn(view.actor, view.record, view.relation, holder).effect === "allow",
    redact: preview && write,
    share: share.effect !== "deny" || shareNeedsApproval,
    shareNeedsApproval,
  };
}

type ListedRow = DbDocument & Pick<DbDocumentVersion, "size_bytes" | "media_type" | "scan_status" | "findings_ct">;

export function presentDocument(vault: Vault, view: DocumentView, row: ListedRow): PresentedDocument {
  const shown = view.key !== null && documentTitleShown(view.actor, view.relation, row.level as Level);
  const open = (field: "title" | "filename", sealed: Buffer | null) =>
    shown && sealed && view.key ? openDocumentText(vault, view.key, row.id, field, sealed) : null;
  const findings = shown && row.findings_ct && view.key ? openFindings(vault, view.key, row.id, row.current_version, row.findings_ct).summary : null;
  return {
    id: row.id,
    clientId: row.client_id,
    matterId: row.matter_id,
    category: row.category as DocumentCategory,
    level: row.level as Level,
    title: open("title", row.title_ct),
    filename: open("filename", row.filename_ct),
    masked: !shown,
    derivedFrom: row.derived_from,
    currentVersion: row.current_version,
    mediaType: row.media_type,
    sizeBytes: sizeOf(row),
    scanStatus: row.scan_status as ScanStatus,
    findings,
    checkedOutBy: row.checked_out_by,
    checkedOutAt: row.checked_out_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    abilities: documentAbilities(view, row),
  };
}

export const presentVersion = (v: DbDocumentVersion): PresentedVersion => ({
  version: v.version,
  sizeBytes: sizeOf(v),
  mediaType: v.media_type,
  scanStatus: v.scan_status as ScanStatus,
  detectedLevel: v.detected_level as Level | null,
  uploadedBy: v.uploaded_by,
  uploadedAt: v.uploaded_at,
});
