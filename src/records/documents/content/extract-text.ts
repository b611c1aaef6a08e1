/**
 * A client document's text, for the PII detector and the text preview. Pure in effect: nothing is
 * logged or written to disk; helper programs (pdftoppm, tesseract) get the bytes on stdin.
 */
import { ExtractionError } from "./errors.js";
import { imagePixels, MAX_IMAGE_PIXELS } from "./images.js";
import { DOCX, type DocumentMediaType, XLSX } from "./media-type.js";
import { extractDocx, extractXlsx } from "./office.js";
import { ocrAvailable, ocrPages } from "./ocr.js";
import { joinPages, type PageSpan } from "./pages.js";
import { extractPdf } from "./pdf.js";

export type ExtractionMethod = "plain" | "docx" | "xlsx" | "pdf-text" | "ocr" | "none";

export interface ExtractedText {
  text: string;
  /** One span per PDF page, TIFF page or worksheet; one for plain text, DOCX and other images. */
  pages: PageSpan[];
  /** "ocr" when any page was recognised from its image. */
  method: ExtractionMethod;
  /** Whether tesseract with chi_sim is installed here. */
  ocrAvailable: boolean;
  /** False when some content was not read: an image or scanned page without OCR, an unknown format. */
  complete: boolean;
}

export interface ExtractOptions {
  /** Recognise images and scanned pages when tesseract is installed; default true. */
  ocr?: boolean;
  signal?: AbortSignal;
  /** Per helper process (one page's render or recognition); default 120 s. */
  timeoutMs?: number;
  /** PDF pages recognised at most; later scanned pages leave `complete` false. Default 200. */
  maxOcrPages?: number;
}

const MAX_PLAIN_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_OCR_PAGES = 200;

export async function extractText(bytes: Buffer, mediaType: DocumentMediaType, options: ExtractOptions = {}): Promise<ExtractedText> {
  options.signal?.throwIfAborted();
  const available = await ocrAvailable();
  const ocr = available && options.ocr !== false;
  const ocrOptions = { signal: options.signal, timeoutMs: options.timeoutMs };
  const result = (texts: string[], method: ExtractionMethod, complete: boolean): ExtractedText => ({
    ...joinPages(texts),
    method,
    ocrAvailable: available,
    complete,
  });

  switch (mediaType) {
    case "text/plain": {
      if (bytes.length > MAX_PLAIN_BYTES) throw new ExtractionError("too_large");
      // TextDecoder drops a leading BOM; invalid sequences become U+FFFD.
      return result([new TextDecoder("utf-8").decode(bytes)], "plain", true);
    }
    case DOCX:
      return result([await extractDocx(bytes)], "docx", true);
    case XLSX:
      return result(await extractXlsx(bytes), "xlsx", true);
    case "application/pdf": {
      const pdf = await extractPdf(bytes, { ...ocrOptions, ocr, maxOcrPages: options.maxOcrPages ?? DEFAULT_MAX_OCR_PAGES });
      return result(pdf.pages, pdf.ocrPages > 0 ? "ocr" : "pdf-text", pdf.complete);
    }
    case "image/png":
    case "image/jpeg":
    case "image/tiff": {
      if (!ocr) return result([""], "none", false);
      if ((imagePixels(bytes) ?? 0) > MAX_IMAGE_PIXELS) throw new ExtractionError("too_large");
      return result(await ocrPages(bytes, ocrOptions), "ocr", true);
    }
    case "application/octet-stream":
      return { text: "", pages: [], method: "none", ocrAvailable: available, complete: false };
  }
}
