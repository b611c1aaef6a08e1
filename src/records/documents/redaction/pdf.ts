/**
 * PDFs: a **regenerated** PDF, not an edited one. The text layer of each page is extracted (unpdf),
 * the spans are removed from it, and what remains is laid out as plain lines in a new PDF (pdf-lib)
 * under the banner "已脱敏副本 / Redacted copy", one output page per input page (more when the text
 * overflows). Nothing of the original's objects is copied: no hidden or white text, annotations,
 * form fields, metadata, attachments, JavaScript or earlier revisions can survive, which editing the
 * original's content streams could not promise. The price is the layout: fonts, positions, tables
 * and pictures of text pages are not kept. A page without a text layer (a scan) is rendered
 * (pdftoppm), redacted as an image (boxes burned in over recognised values) and placed as a picture.
 */
import { readFile } from "node:fs/promises";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { getDocumentProxy } from "unpdf";
import { RedactionError } from "./errors.js";
import { redactImage } from "./image.js";
import { runPiped } from "./piped.js";
import { addCounts, findSpans, type RedactionPolicy, type RemovedCounts } from "./policy.js";
import { redactText } from "./text.js";

export const PDF_BANNER = "已脱敏副本 / Redacted copy";
/** A plain TrueType font with CJK glyphs (Debian fonts-droid-fallback); the Noto CJK collections cannot be embedded by pdf-lib. */
export const CJK_FONT_PATH = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

const SIZE = 10.5;
const LEADING = 16;
const BANNER_SIZE = 9;
const RENDER_DPI = 150;
const RENDER_TIMEOUT_MS = 120_000;

interface PdfTextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

export async function redactPdf(bytes: Buffer, policy: RedactionPolicy): Promise<{ bytes: Buffer; removed: RemovedCounts }> {
  const removed: RemovedCounts = {};
  const doc = await openPdf(bytes);
  let out: Buffer;
  try {
    const copy = await newCopy();
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const { width, height } = page.getViewport({ scale: 1 });
      const text = pageText((await page.getTextContent()).items as PdfTextItem[]);
      page.cleanup();
      if (text.trim() !== "") {
        const result = redactText(text, policy);
        addCounts(removed, result.removed);
        addTextPages(copy, width, height, result.text);
      } else {
        const args = ["-png", "-r", String(RENDER_DPI), "-f", String(n), "-l", String(n), "-singlefile", "-"];
        const result = await redactImage(await runPiped("pdftoppm", args, bytes, RENDER_TIMEOUT_MS), "image/png", policy);
        addCounts(removed, result.removed);
        await addPicturePage(copy, width, height, result.bytes);
      }
    }
    out = Buffer.from(await copy.pdf.save());
  } catch (error) {
    throw error instanceof RedactionError ? error : new RedactionError("redaction_corrupt");
  } finally {
    await doc.destroy();
  }
  await verify(out, policy);
  return { bytes: out, removed };
}

async function openPdf(bytes: Uint8Array) {
  try {
    // pdf.js takes over (detaches) the buffer it is given: a copy keeps the caller's intact.
    return await getDocumentProxy(new Uint8Array(bytes));
  } catch (error) {
    throw new RedactionError((error as { name?: string }).name === "PasswordException" ? "redaction_encrypted" : "redaction_corrupt");
  }
}

/** A page's text in reading order, a line break where pdf.js ends a line or the baseline moves. */
export function pageText(items: readonly PdfTextItem[]): string {
  let text = "";
  let lastY: number | null = null;
  for (const item of items) {
    if (typeof item.str !== "string") continue;
    const y = item.transform[5] ?? 0;
    const newline = () => {
      if (text !== "" && !text.endsWith("\n")) text += "\n";
    };
    if (lastY !== null && Math.abs(y - lastY) > Math.max(2, item.height / 2)) newline();
    text += item.str;
    if (item.hasEOL) newline();
    lastY = y;
  }
  return text;
}

interface Fonts {
  cjk: PDFFont;
  latin: PDFFont;
  hasCjk: (codePoint: number) => boolean;
  latinSet: Set<number>;
}

async function loadFonts(pdf: PDFDocument): Promise<Fonts> {
  let data: Buffer;
  try {
    data = await readFile(CJK_FONT_PATH);
  } catch {
    throw new RedactionError("redaction_font_unavailable");
  }
  pdf.registerFontkit(fontkit);
  // Not subset: fontkit's subset of this font loses most glyphs when rendered. The whole font adds
  // about 2 MB to each copy.
  const cjk = await pdf.embedFont(data, { subset: false });
  const latin = await pdf.embedFont(StandardFonts.Helvetica);
  const face = fontkit.create(data) as unknown as { hasGlyphForCodePoint(c: number): boolean };
  return { cjk, latin, hasCjk: (c) => face.hasGlyphForCodePoint(c), latinSet: new Set(latin.getCharacterSet()) };
}

interface Copy {
  pdf: PDFDocument;
  fonts: Fonts;
}

async function newCopy(): Promise<Copy> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(PDF_BANNER);
  pdf.setProducer("Custodia");
  pdf.setCreator("Custodia");
  return { pdf, fonts: await loadFonts(pdf) };
}

const GREY = rgb(0.35, 0.35, 0.35);
const BLACK = rgb(0, 0, 0);
const marginOf = (width: number) => Math.min(56, width * 0.08);

function banner(copy: Copy, page: PDFPage, top: number): void {
  drawLine(page, PDF_BANNER, marginOf(page.getWidth()), top - BANNER_SIZE - 8, BANNER_SIZE, copy.fonts, GREY);
}

/** The page's remaining text as lines on pages of its size, as many as it takes. */
function addTextPages(copy: Copy, width: number, height: number, text: string): void {
  const margin = marginOf(width);
  const lines = wrap(text, width - 2 * margin, copy.fonts);
  const perPage = Math.max(1, Math.floor((height - 2 * margin - LEADING * 2) / LEADING));
  for (let first = 0; first === 0 || first < lines.length; first += perPage) {
    const page = copy.pdf.addPage([width, height]);
    banner(copy, page, height - margin / 2);
    lines.slice(first, first + perPage).forEach((line, i) => {
      drawLine(page, line, margin, height - margin - LEADING * (i + 2), SIZE, copy.fonts, BLACK);
    });
  }
}

/** A redacted scan keeps the page's size; the banner gets a strip of its own above it. */
async function addPicturePage(copy: Copy, width: number, height: number, png: Buffer): Promise<void> {
  const strip = BANNER_SIZE + 16;
  const page = copy.pdf.addPage([width, height + strip]);
  page.drawImage(await copy.pdf.embedPng(png), { x: 0, y: 0, width, height });
  banner(copy, page, height + strip);
}

// Each character in the font that has it: CJK from Droid Sans Fallback (which has no Latin letters or
// digits), the rest in Helvetica; anything neither has becomes "?".
function runs(line: string, fonts: Fonts): { text: string; font: PDFFont }[] {
  const out: { text: string; font: PDFFont }[] = [];
  for (const ch of line.replace(/\t/g, "    ")) {
    const c = ch.codePointAt(0)!;
    const [text, font] = fonts.latinSet.has(c) ? [ch, fonts.latin] : fonts.hasCjk(c) ? [ch, fonts.cjk] : ["?", fonts.latin];
    const last = out[out.length - 1];
    if (last !== undefined && last.font === font) last.text += text;
    else out.push({ text, font });
  }
  return out;
}

const widthOf = (s: string, fonts: Fonts, size = SIZE) => runs(s, fonts).reduce((w, r) => w + r.font.widthOfTextAtSize(r.text, size), 0);

function drawLine(page: PDFPage, line: string, x: number, y: number, size: number, fonts: Fonts, color: ReturnType<typeof rgb>): void {
  for (const run of runs(line, fonts)) {
    page.drawText(run.text, { x, y, size, font: run.font, color });
    x += run.font.widthOfTextAtSize(run.text, size);
  }
}

const ALNUM = /[0-9A-Za-z]/;

/** Lines no wider than `width`, broken between words where one fits, never inside a run of letters or digits that fits a line. */
function wrap(text: string, width: number, fonts: Fonts): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, "\n").split("\n")) {
    let rest = paragraph.trimEnd();
    while (widthOf(rest, fonts) > width) {
      const chars = [...rest];
      let fit = 0;
      let w = 0;
      while (fit < chars.length && (w += widthOf(chars[fit]!, fonts)) <= width) fit++;
      fit = Math.max(1, fit);
      let cut = fit;
      while (cut > 0 && ALNUM.test(chars[cut - 1]!) && ALNUM.test(chars[cut] ?? "")) cut--;
      if (cut === 0) cut = fit;
      lines.push(chars.slice(0, cut).join("").trimEnd());
      rest = chars.slice(cut).join("").trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

/** The copy's own text layer, extracted as a reader would: nothing to remove may be left. */
async function verify(bytes: Buffer, policy: RedactionPolicy): Promise<void> {
  const doc = await openPdf(bytes);
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const text = pageText((await (await doc.getPage(n)).getTextContent()).items as PdfTextItem[]);
      if (findSpans(text, policy).length > 0) throw new RedactionError("redaction_incomplete");
    }
  } finally {
    await doc.destroy();
  }
}
