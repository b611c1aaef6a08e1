/** Client documents (issue #11): categories, sensitivity levels, and what a caller is shown. */
import type { Level } from "../../access/policy/roles.js";
import type { PiiSummary, PiiType } from "./pii/types.js";

export const DOCUMENT_CATEGORIES = ["case_file", "contract", "identity_proof", "financial_record", "correspondence", "other"] as const;
export type DocumentCategory = (typeof DOCUMENT_CATEGORIES)[number];

/** Identity proofs and financial records are highly sensitive (CLS-1) whatever they turn out to hold. */
export const CATEGORY_LEVELS: Readonly<Record<DocumentCategory, Level>> = Object.freeze({
  case_file: 3,
  contract: 3,
  identity_proof: 4,
  financial_record: 4,
  correspondence: 3,
  other: 2,
});

/**
 * What a finding makes a document at least: identity and financial numbers L4 (as the client's own
 * id_number field), contact details and names L3. A scan only ever raises a level.
 */
const FINDING_LEVELS: Readonly<Record<PiiType, Level>> = Object.freeze({
  resident_id: 4,
  residence_permit: 4,
  uscc: 2,
  mobile: 3,
  landline: 3,
  bank_card: 4,
  hk_id: 4,
  macau_id: 4,
  taiwan_id: 4,
  hk_macau_travel_permit: 4,
  taiwan_travel_permit: 4,
  exit_entry_permit: 4,
  passport: 4,
  email: 3,
  person_name: 3,
  address: 3,
});

/** The level the findings call for: the highest of their types' levels (low-confidence names count at L3 too). */
export function levelFromFindings(summary: PiiSummary): Level | null {
  let level: Level | null = null;
  for (const [type, counts] of Object.entries(summary) as [PiiType, { count: number }][]) {
    if (counts.count > 0 && (level === null || FINDING_LEVELS[type] > level)) level = FINDING_LEVELS[type];
  }
  return level;
}

/** The effective level: the one chosen or the category's default, raised by what the scan found. */
export const effectiveLevel = (chosen: Level, detected: Level | null): Level => (detected !== null && detected > chosen ? detected : chosen);

/** How far the scan got: the text read and checked, or why not. */
export type ScanStatus = "scanned" | "partial" | "too_large" | "unreadable" | "unsupported";

/** Files above this are stored and served but not scanned: extraction holds the whole plaintext in memory. */
export const SCAN_MAX_BYTES = 64 * 1024 * 1024;

/** Where findings sit: a page (1-based, PDF and OCR) or sheet, and a character offset in the extracted text. */
export interface FindingPlace {
  type: PiiType;
  confidence: "high" | "medium" | "low";
  validated: boolean;
  page: number;
  offset: number;
}

/** The sealed findings of one version: counts per type and the places, never the values. */
export interface DocumentFindings {
  summary: PiiSummary;
  places: FindingPlace[];
}

export interface PresentedVersion {
  version: number;
  sizeBytes: number;
  mediaType: string;
  scanStatus: ScanStatus;
  detectedLevel: Level | null;
  uploadedBy: string;
  uploadedAt: string;
}

/** What the caller may do with one document, from the policy (the console offers nothing else). */
export interface DocumentAbilities {
  preview: boolean;
  download: boolean;
  /** Download would be refused only for want of a copy_document approval: the console offers to ask. */
  downloadNeedsApproval: boolean;
  uploadVersion: boolean;
  checkOut: boolean;
  checkIn: boolean;
  /** A redacted copy: reading the content and adding a document to the client. */
  redact: boolean;
  /** Sharing outside the firm is offered: allowed now, or only for want of a forward_document approval. */
  share: boolean;
  shareNeedsApproval: boolean;
}

export interface PresentedDocument {
  id: string;
  clientId: string;
  matterId: string | null;
  category: DocumentCategory;
  level: Level;
  /** Null when masked: the caller could not open the document. */
  title: string | null;
  filename: string | null;
  masked: boolean;
  /** A redacted copy: the document it was made from. */
  derivedFrom: string | null;
  currentVersion: number;
  mediaType: string;
  sizeBytes: number;
  scanStatus: ScanStatus;
  findings: PiiSummary | null;
  checkedOutBy: string | null;
  checkedOutAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  abilities: DocumentAbilities;
}
