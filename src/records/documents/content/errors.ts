/** Why text could not be extracted: a stable code and a reason, never any of the document's content. */
export type ExtractionFailure = "corrupt" | "encrypted" | "timeout" | "too_large" | "ocr_unavailable";

const MESSAGES: Record<ExtractionFailure, string> = {
  corrupt: "The document could not be read (damaged or not the format it claims).",
  encrypted: "The document is password-protected.",
  timeout: "Reading the document took too long.",
  too_large: "The document is too large to read.",
  ocr_unavailable: "Text recognition (tesseract with chi_sim) is not installed.",
};

/**
 * No `cause` is attached: parser errors may quote the bytes they choked on, and this error ends up in
 * logs and audit events.
 */
export class ExtractionError extends Error {
  readonly code = "extraction_failed";
  constructor(readonly reason: ExtractionFailure) {
    super(MESSAGES[reason]);
    this.name = "ExtractionError";
  }
}
