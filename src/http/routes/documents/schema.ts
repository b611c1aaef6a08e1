import { z } from "zod";
import { DOCUMENT_CATEGORIES } from "../../../records/documents/document.js";
import { PII_TYPES } from "../../../records/documents/pii/index.js";

const Counts = z.object({ count: z.number(), high: z.number(), medium: z.number(), low: z.number() });
export const FindingsSummarySchema = z.partialRecord(z.enum(PII_TYPES), Counts).describe("Counts per identifier type; never the values");

export const DocumentAbilitiesSchema = z.object({
  preview: z.boolean(),
  download: z.boolean(),
  downloadNeedsApproval: z.boolean().describe("Download is refused only for want of a copy_document approval"),
  uploadVersion: z.boolean(),
  checkOut: z.boolean(),
  checkIn: z.boolean(),
  redact: z.boolean(),
  share: z.boolean().describe("Sharing is offered: allowed, or only a forward_document approval is missing"),
  shareNeedsApproval: z.boolean(),
});

export const DocumentSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  matterId: z.string().nullable(),
  category: z.enum(DOCUMENT_CATEGORIES),
  level: z.number().int().min(1).max(4),
  title: z.string().nullable().describe("Null when masked: the caller could not open the document"),
  filename: z.string().nullable(),
  masked: z.boolean(),
  derivedFrom: z.string().nullable().describe("A redacted copy: the document it was made from"),
  currentVersion: z.number().int(),
  mediaType: z.string().describe("From the content's magic bytes, never the uploader's claim"),
  sizeBytes: z.number().int(),
  scanStatus: z.enum(["scanned", "partial", "too_large", "unreadable", "unsupported"]),
  findings: FindingsSummarySchema.nullable(),
  checkedOutBy: z.string().nullable(),
  checkedOutAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  abilities: DocumentAbilitiesSchema,
});

export const VersionSchema = z.object({
  version: z.number().int(),
  sizeBytes: z.number().int(),
  mediaType: z.string(),
  scanStatus: z.string(),
  detectedLevel: z.number().int().nullable(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});

export const DocumentDetailSchema = DocumentSchema.extend({
  versions: z.array(VersionSchema),
  findingPlaces: z
    .array(
      z.object({
        type: z.enum(PII_TYPES),
        confidence: z.enum(["high", "medium", "low"]),
        validated: z.boolean(),
        page: z.number().int(),
        offset: z.number().int(),
      }),
    )
    .nullable(),
});

export const PreviewSchema = z.object({ pages: z.array(z.object({ page: z.number().int(), text: z.string() })), method: z.string() });

export const TraceSchema = z.object({
  copies: z.array(
    z.object({
      copyId: z.string(),
      documentId: z.string(),
      clientId: z.string(),
      version: z.number().int(),
      kind: z.string(),
      userId: z.string().nullable(),
      shareId: z.string().nullable(),
      createdAt: z.string(),
      requestId: z.string().nullable(),
      evidence: z.enum(["metadata", "invisible_text", "geometry", "exact_content"]),
      auditEventId: z.string().nullable(),
    }),
  ),
  versions: z.array(z.object({ documentId: z.string(), clientId: z.string(), version: z.number().int() })),
});

/** The form fields of an upload, sent before the file part. */
export const UploadFieldsSchema = z.object({
  title: z.string().optional(),
  filename: z.string().optional(),
  category: z.string().optional(),
  level: z.string().optional(),
  matterId: z.string().optional(),
});

export { DOCUMENT_CATEGORIES };
