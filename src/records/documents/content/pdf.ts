/**
 * PDF text: the text layer per page through pdf.js (unpdf), and for pages without one (scans),
 * rendering with poppler's pdftoppm and recognition with tesseract, both on pipes.
 */
import { extractText as pdfText, getDocumentProxy } from "unpdf";
import { ExtractionError } from "./errors.js";
import { type OcrOptions, ocrPages } from "./ocr.js";
import { runPiped } from "./process.js";

export interface PdfOptions extends OcrOptions {
  /** Recognise pages without a text layer (tesseract is known to be there). */
  ocr: boolean;
  maxOcrPages: number;
}

export interface PdfText {
  pages: string[];
  ocrPages: number;
  /** False when a page without a text layer was not recognised. */
  complete: boolean;
}

// A page with fewer readable characters than this has no real text layer: a scan, perhaps with a
// stamped page or Bates number.
const MIN_LAYER_CHARS = 32;
const RENDER_DPI = 200;
// Caps a page's longest side in pixels, so an oversized page box cannot make a gigapixel render.
const MAX_RENDER_SIDE = 7000;
const MAX_RENDER_BYTES = 256 * 1024 * 1024;
// NUL and other controls come from fonts without a Unicode map; U+FFFD and private-use code points
// from glyphs pdf.js could not name. None of them is text.
const UNREADABLE = /[\u0000-\u0008\u000b-\u001f\u007f\ufffd\ue000-\uf8ff]/g;
const READABLE = /[^\s\u0000-\u001f\u007f\ufffd\ue000-\uf8ff]/g;

export async function extractPdf(bytes: Uint8Array, options: PdfOptions): Promise<PdfText> {
  let doc: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: pdf.js may take over the buffer it is given. No eval: a crafted font cannot run code
    // (CVE-2024-4367). Verbosity 0: pdf.js warnings never reach the logs.
    doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, useSystemFonts: false });
  } catch (error) {
    throw new ExtractionError(error instanceof Error && error.name === "PasswordException" ? "encrypted" : "corrupt");
  }
  try {
    let layers: string[];
    try {
      layers = (await pdfText(doc, { mergePages: false })).text;
    } catch {
      throw new ExtractionError("corrupt");
    }
    const pages: string[] = [];
    let recognised = 0;
    let complete = true;
    for (const [i, layer] of layers.entries()) {
      options.signal?.throwIfAborted();
      const text = layer.replace(UNREADABLE, "");
      if ((text.match(READABLE)?.length ?? 0) >= MIN_LAYER_CHARS) {
        pages.push(text);
        continue;
      }
      if (!options.ocr || recognised >= options.maxOcrPages) {
        complete = false;
        pages.push(text);
        continue;
      }
      const { width, height } = (await doc.getPage(i + 1)).getViewport({ scale: 1 });
      const dpi = Math.max(1, Math.min(RENDER_DPI, Math.floor((MAX_RENDER_SIDE * 72) / Math.max(width, height, 1))));
      const png = await renderPage(bytes, i + 1, dpi, options);
      const ocr = (await ocrPages(png, options)).join("\n\n");
      recognised++;
      // The layer's few characters are exact where recognition may misread them: keep both.
      pages.push(text.trim() === "" ? ocr : `${text}\n\n${ocr}`);
    }
    return { pages, ocrPages: recognised, complete };
  } finally {
    await doc.destroy();
  }
}

/** One page as a greyscale PNG; the PDF goes in on stdin and the image comes out on stdout. */
function renderPage(pdf: Uint8Array, page: number, dpi: number, options: OcrOptions): Promise<Buffer> {
  const args = ["-r", String(dpi), "-gray", "-png", "-f", String(page), "-l", String(page), "-singlefile", "-"];
  return runPiped("pdftoppm", args, pdf, { timeoutMs: options.timeoutMs ?? 120_000, signal: options.signal, maxOutputBytes: MAX_RENDER_BYTES });
}
