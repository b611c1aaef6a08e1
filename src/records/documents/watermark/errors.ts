/** Why a copy could not be marked: a stable code and a fixed message, never the document's content. */
export type WatermarkFailure = "watermark_font_missing" | "watermark_failed";

const MESSAGES: Record<WatermarkFailure, string> = {
  watermark_font_missing: "No CJK font for the watermark is installed (Debian package fonts-droid-fallback).",
  watermark_failed: "The document could not be watermarked (damaged, password-protected or not the format it claims).",
};

/**
 * No `cause` is attached: parser errors may quote the bytes they choked on, and this error ends up
 * in logs and audit events.
 */
export class WatermarkError extends Error {
  constructor(readonly code: WatermarkFailure) {
    super(MESSAGES[code]);
    this.name = "WatermarkError";
  }
}
