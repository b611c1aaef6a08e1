/**
 * Redacted copies of client documents: every value the PII detector finds (at or above a confidence)
 * and every string a user marked is removed from the content, not covered, so neither extracting the
 * copy's text nor searching its bytes finds it. One entry point dispatching on the media type, which
 * comes from the content's magic bytes (content/media-type.ts), never from the uploader.
 */
import { DOCX, redactDocx, XLSX } from "./docx.js";
import { RedactionError } from "./errors.js";
import { redactImage } from "./image.js";
import { redactPdf } from "./pdf.js";
import { type RedactionPolicy, type RedactOptions, type RemovedCounts, redactionPolicy } from "./policy.js";
import { redactPlainText } from "./text.js";
import { redactXlsx } from "./xlsx.js";
import { type Budget, EXPANDED_LIMIT } from "./zip.js";

export type RedactionMethod = "text" | "docx-in-place" | "xlsx-rewritten" | "pdf-regenerated" | "image-ocr-boxes";

export interface RedactedCopy {
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly removed: RemovedCounts;
  /** How the copy was made; PDFs are regenerated, not edited (pdf.ts). */
  readonly method: RedactionMethod;
}

// An embedded workbook in a document in a document is as deep as real files go.
const MAX_DEPTH = 3;

export async function redactDocument(bytes: Buffer, mediaType: string, options: RedactOptions = {}): Promise<RedactedCopy> {
  return redactAs(bytes, mediaType, redactionPolicy(options), 0, { left: EXPANDED_LIMIT });
}

async function redactAs(bytes: Buffer, mediaType: string, policy: RedactionPolicy, depth: number, budget: Budget): Promise<RedactedCopy> {
  const [essence = "", ...params] = mediaType.split(";").map((s) => s.trim());
  const charset = params
    .find((p) => /^charset=/i.test(p))
    ?.slice(8)
    .replace(/"/g, "");
  const nested = async (data: Buffer, type: string) => {
    if (depth + 1 > MAX_DEPTH) throw new RedactionError("redaction_embedded_unsupported");
    return redactAs(data, type, policy, depth + 1, budget);
  };
  switch (essence.toLowerCase()) {
    case "text/plain":
    case "text/csv":
      return { ...redactPlainText(bytes, charset, policy), mediaType: `${essence.toLowerCase()}; charset=utf-8`, method: "text" };
    case DOCX:
      return { ...(await redactDocx(bytes, policy, nested, budget)), mediaType: DOCX, method: "docx-in-place" };
    case XLSX:
      return { ...(await redactXlsx(bytes, policy, nested, budget)), mediaType: XLSX, method: "xlsx-rewritten" };
    case "application/pdf":
      return { ...(await redactPdf(bytes, policy)), mediaType: "application/pdf", method: "pdf-regenerated" };
    case "image/png":
    case "image/jpeg":
      return {
        ...(await redactImage(bytes, essence.toLowerCase() as "image/png" | "image/jpeg", policy)),
        mediaType: essence.toLowerCase(),
        method: "image-ocr-boxes",
      };
    default:
      throw new RedactionError("redaction_unsupported");
  }
}
