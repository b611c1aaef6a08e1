/**
 * Shapes of the documents API (src/http/routes/documents/schema.ts, shares/) as the console reads
 * them, and the codes it labels. Every code shown goes through files.json; the API decides every
 * action (a row's buttons follow the `abilities` it returned with the row).
 */
export const CATEGORIES = ["case_file", "contract", "identity_proof", "financial_record", "correspondence", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The category's default sensitivity level (CATEGORY_LEVELS): a chosen level may only raise it. */
export const CATEGORY_LEVELS: Readonly<Record<Category, number>> = {
  case_file: 3,
  contract: 3,
  identity_proof: 4,
  financial_record: 4,
  correspondence: 3,
  other: 2,
};
export const levelsFor = (category: Category): number[] => [1, 2, 3, 4].filter((l) => l >= CATEGORY_LEVELS[category]);

/** PII_TYPES of src/records/documents/pii/types.ts, in the detector's order. */
export const PII_TYPES = [
  "resident_id",
  "residence_permit",
  "uscc",
  "mobile",
  "landline",
  "bank_card",
  "hk_id",
  "macau_id",
  "taiwan_id",
  "hk_macau_travel_permit",
  "taiwan_travel_permit",
  "exit_entry_permit",
  "passport",
  "email",
  "person_name",
  "address",
] as const;
export type PiiType = (typeof PII_TYPES)[number];

export const SCAN_STATUSES = ["scanned", "partial", "too_large", "unreadable", "unsupported"] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];
export const EVIDENCE = ["metadata", "invisible_text", "geometry", "exact_content"] as const;
export type Evidence = (typeof EVIDENCE)[number];
export const COPY_KINDS = ["download", "share"] as const;
/** RECIPIENT_KINDS of src/records/documents/share.ts. */
export const RECIPIENT_KINDS = ["court", "opposing_counsel", "auditor", "regulator", "co_counsel", "expert", "other"] as const;

export interface DocumentAbilities {
  preview: boolean;
  download: boolean;
  /** Download is refused only for want of a copy_document approval: the console offers to ask. */
  downloadNeedsApproval: boolean;
  uploadVersion: boolean;
  checkOut: boolean;
  checkIn: boolean;
  redact: boolean;
  /** Sharing is offered: allowed, or only a forward_document approval is missing (the dialog says so). */
  share: boolean;
  shareNeedsApproval: boolean;
}

type Counts = { count: number; high: number; medium: number; low: number };

export interface ClientDocument {
  id: string;
  clientId: string;
  matterId: string | null;
  category: Category;
  level: number;
  /** Null when masked: the caller could not open the document. */
  title: string | null;
  filename: string | null;
  masked: boolean;
  derivedFrom: string | null;
  currentVersion: number;
  mediaType: string;
  sizeBytes: number;
  scanStatus: ScanStatus;
  findings: Partial<Record<PiiType, Counts>> | null;
  checkedOutBy: string | null;
  checkedOutAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  abilities: DocumentAbilities;
}

export interface DocumentVersion {
  version: number;
  sizeBytes: number;
  mediaType: string;
  scanStatus: string;
  detectedLevel: number | null;
  uploadedBy: string;
  uploadedAt: string;
}

export interface FindingPlace {
  type: PiiType;
  confidence: "high" | "medium" | "low";
  validated: boolean;
  page: number;
  offset: number;
}

export interface DocumentDetail extends ClientDocument {
  versions: DocumentVersion[];
  findingPlaces: FindingPlace[] | null;
}

export interface Preview {
  pages: { page: number; text: string }[];
  method: string;
}

export interface TracedCopy {
  copyId: string;
  documentId: string;
  clientId: string;
  version: number;
  kind: string;
  userId: string | null;
  shareId: string | null;
  createdAt: string;
  requestId: string | null;
  evidence: Evidence;
  auditEventId: string | null;
}

export interface TraceResult {
  copies: TracedCopy[];
  versions: { documentId: string; clientId: string; version: number }[];
}

/** Colours of the sensitivity levels, L1 (public) to L4 (highly sensitive). */
export const LEVEL_COLOURS: Readonly<Record<number, string>> = { 1: "default", 2: "blue", 3: "orange", 4: "red" };

/** A size in binary units, as file managers show it. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** A label key for a code, or the "unknown" key: no raw code reaches the screen. */
export const codeKey = (group: string, code: string, known: readonly string[]) => (known.includes(code) ? `files.${group}.${code}` : `files.${group}.unknown`);

/** SHARE_STATUSES of src/records/documents/share.ts; `pending` is an L4 share awaiting its second person. */
export const SHARE_STATUSES = ["pending", "active", "revoked", "expired", "exhausted", "locked"] as const;

/** An external share as the shares API returns it (ShareSchema). */
export interface Share {
  id: string;
  documentId: string;
  version: number;
  clientId: string;
  level: number;
  sharedBy: string;
  recipientKind: string;
  /** Null once the client's key was shredded. */
  recipient: { name: string; organisation: string | null; email: string } | null;
  purpose: string;
  grantId: string;
  status: string;
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

/** POST /documents/{id}/shares answers the share and its link, shown once (only its MAC is stored). */
export interface CreatedShare {
  share: Share;
  /** The link's path (/shared/<token>). */
  link: string;
}

export interface ShareForm {
  recipientKind: string;
  recipientName: string;
  organisation?: string;
  email: string;
  days: number;
  maxDownloads: number;
}

/** The request body of POST /documents/{id}/shares (ShareCreateSchema). */
export const shareBody = (v: ShareForm) => ({
  recipient: { kind: v.recipientKind, name: v.recipientName.trim(), organisation: v.organisation?.trim() || null, email: v.email.trim() },
  expiresInDays: v.days,
  maxDownloads: v.maxDownloads,
});

/** Shares that still stand: revoking them stops the link. */
export const isOpenShare = (s: Share) => s.status === "active" || s.status === "pending";
