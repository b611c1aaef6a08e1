/**
 * The PII scan of an uploaded version: extract the text (plain, DOCX, XLSX, PDF, OCR where Debian's
 * tesseract is installed), detect identifiers with the validating detector, and keep only types,
 * counts and places. The text itself never leaves this function.
 */
import type { Level } from "../../access/policy/roles.js";
import { type DocumentMediaType, ExtractionError, extractText } from "./content/index.js";
import { type DocumentFindings, type FindingPlace, levelFromFindings, SCAN_MAX_BYTES, type ScanStatus } from "./document.js";
import { detectPii } from "./pii/index.js";

export interface ScanResult {
  status: ScanStatus;
  findings: DocumentFindings | null;
  detectedLevel: Level | null;
}

const SCANNABLE: ReadonlySet<string> = new Set([
  "text/plain",
  "application/pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "image/png",
  "image/jpeg",
  "image/tiff",
]);

/** Whether a scan would read this media type: an upload of any other type keeps no copy for it. */
export const isScannable = (mediaType: string): boolean => SCANNABLE.has(mediaType);

/** Scans plaintext held in memory; `bytes` null means the file was too large to hold for scanning. */
export async function scanDocument(bytes: Buffer | null, mediaType: string): Promise<ScanResult> {
  if (bytes === null || bytes.length > SCAN_MAX_BYTES) return { status: "too_large", findings: null, detectedLevel: null };
  if (!SCANNABLE.has(mediaType)) return { status: "unsupported", findings: null, detectedLevel: null };
  let extracted: Awaited<ReturnType<typeof extractText>>;
  try {
    extracted = await extractText(bytes, mediaType as DocumentMediaType, { ocr: true });
  } catch (error) {
    if (error instanceof ExtractionError) return { status: "unreadable", findings: null, detectedLevel: null };
    throw error;
  }
  const scan = detectPii(extracted.text);
  const pageAt = (offset: number) => extracted.pages.find((p) => offset >= p.start && offset < p.end)?.page ?? 1;
  const places: FindingPlace[] = scan.findings.map((f) => ({
    type: f.type,
    confidence: f.confidence,
    validated: f.validated,
    page: pageAt(f.start),
    offset: f.start,
  }));
  const findings: DocumentFindings = { summary: scan.summary, places };
  return { status: extracted.complete ? "scanned" : "partial", findings, detectedLevel: levelFromFindings(scan.summary) };
}
