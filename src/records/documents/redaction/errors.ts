/** Why a redacted copy could not be made: a stable code and a fixed message, never the document's content. */
export type RedactionFailure =
  | "redaction_unsupported"
  | "redaction_embedded_unsupported"
  | "redaction_ocr_unavailable"
  | "redaction_font_unavailable"
  | "redaction_corrupt"
  | "redaction_encrypted"
  | "redaction_too_large"
  | "redaction_timeout"
  | "redaction_replacement_invalid"
  | "redaction_incomplete";

const MESSAGES: Record<RedactionFailure, string> = {
  redaction_unsupported: "Redacted copies cannot be made of this kind of document.",
  redaction_embedded_unsupported: "The document embeds an object that cannot be redacted.",
  redaction_ocr_unavailable: "Text recognition (tesseract with chi_sim and eng) is not installed.",
  redaction_font_unavailable: "The CJK font for regenerated PDFs (fonts-droid-fallback) is not installed.",
  redaction_corrupt: "The document could not be read (damaged or not the format it claims).",
  redaction_encrypted: "The document is password-protected.",
  redaction_too_large: "The document is too large to redact.",
  redaction_timeout: "Redacting the document took too long.",
  redaction_replacement_invalid: "The replacement mark must be short and hold nothing that is itself redacted.",
  redaction_incomplete: "The redacted copy still held a value that should have been removed; no copy was made.",
};

/**
 * No `cause` is attached: parser and program errors may quote the bytes they choked on, and this
 * error ends up in logs and audit events.
 */
export class RedactionError extends Error {
  constructor(readonly code: RedactionFailure) {
    super(MESSAGES[code]);
    this.name = "RedactionError";
  }
}
