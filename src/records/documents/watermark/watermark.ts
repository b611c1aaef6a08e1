/**
 * A handed-out PDF copy: a visible Chinese stamp tiled diagonally over every page, and the copy's
 * fingerprint in three layers that decode on their own (see fingerprint.ts): the document
 * metadata, invisible text on every page, and the stamp's geometry (geometry.ts).
 */
import {
  beginMarkedContent,
  beginText,
  endMarkedContent,
  endText,
  type PDFArray,
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFOperator,
  type PDFPage,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  setFillingGrayscaleColor,
  setFontAndSize,
  setGraphicsState,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  StandardFonts,
  TextRenderingMode,
} from "pdf-lib";
import { assertCopyId, encodeCopyToken, taggedCopyId } from "./copy-token.js";
import { WatermarkError } from "./errors.js";
import { type StampFont, stampFont } from "./font.js";
import { geometrySymbols, type Point, placeSymbol } from "./geometry.js";

export interface Stamp {
  /** The visible lines, e.g. "保密 · 张三 · 2026/12/6 13:45（北京时间）" and "请求 3f2a…". */
  lines: string[];
  /** 16 random bytes naming this copy. */
  copyId: Buffer;
}

/** The Info dictionary key holding the copy token. */
export const INFO_KEY = "CustodiaCopy";

const ANGLE = (30 * Math.PI) / 180;
const GREY = 0.55;
const OPACITY = 0.22;
const TOKEN_SIZE = 1;
// Where the invisible token goes, as fractions of the page: corners and the middle, so that a crop
// or a partial copy of a page still holds one.
const TOKEN_SPOTS: readonly Point[] = [
  { x: 0.02, y: 0.02 },
  { x: 0.5, y: 0.5 },
  { x: 0.6, y: 0.97 },
];
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export async function watermarkPdf(pdf: Uint8Array, stamp: Stamp): Promise<Uint8Array> {
  assertCopyId(stamp.copyId);
  const lines = stamp.lines.map((line) => line.replace(CONTROL, " ").trim()).filter((line) => line !== "");
  if (lines.length === 0) throw new RangeError("A watermark has at least one line.");
  const font = stampFont();
  let doc: PDFDocument;
  try {
    // updateMetadata false: the copy keeps the original's producer and dates.
    doc = await PDFDocument.load(pdf, { updateMetadata: false });
  } catch {
    throw new WatermarkError("watermark_failed");
  }
  try {
    if (doc.getPageCount() === 0) throw new WatermarkError("watermark_failed");
    doc.registerFontkit(font.fontkit);
    const fonts = { cjk: await doc.embedFont(font.bytes, { subset: true }), latin: await doc.embedFont(StandardFonts.Helvetica) };
    const runs = lines.map((line) =>
      splitRuns(line, font, fonts.latin).map((run): DrawnRun => {
        const runFont = run.cjk ? fonts.cjk : fonts.latin;
        return { cjk: run.cjk, encoded: runFont.encodeText(run.text), width: runFont.widthOfTextAtSize(run.text, 1) };
      }),
    );
    const token = encodeCopyToken(stamp.copyId);
    const symbols = geometrySymbols(stamp.copyId);
    let lineNo = 0;
    for (const page of doc.getPages()) {
      lineNo = markPage(doc, page, { runs, fonts, token, symbols, lineNo });
    }
    writeMetadata(doc, stamp.copyId, token);
    return await doc.save();
  } catch (error) {
    throw error instanceof WatermarkError ? error : new WatermarkError("watermark_failed");
  }
}

interface Run {
  text: string;
  cjk: boolean;
}

/** A run ready to draw: encoded and measured once per document, not once per tile. */
interface DrawnRun {
  cjk: boolean;
  encoded: PDFHexString;
  /** Width at size 1. */
  width: number;
}

/**
 * Splits a line into runs by font: WinAnsi characters in Helvetica (the CJK font has no Latin),
 * the rest in the CJK font, and anything neither can draw as "?" rather than an empty box.
 */
function splitRuns(line: string, font: StampFont, latin: PDFFont): Run[] {
  const runs: Run[] = [];
  for (const char of line) {
    let cjk = false;
    let text = char;
    if (!encodes(latin, char)) {
      if (font.covers(char.codePointAt(0)!)) cjk = true;
      else text = "?";
    }
    const last = runs.at(-1);
    if (last && last.cjk === cjk) last.text += text;
    else runs.push({ text, cjk });
  }
  return runs;
}

function encodes(font: PDFFont, char: string): boolean {
  try {
    font.encodeText(char);
    return true;
  } catch {
    return false;
  }
}

interface PageMarks {
  runs: DrawnRun[][];
  fonts: { cjk: PDFFont; latin: PDFFont };
  token: string;
  symbols: number[];
  /** Lines that started on earlier pages: the k-th of the document carries symbol k mod 10. */
  lineNo: number;
}

/** Draws the stamp and the invisible token on one page; returns the document's line count so far. */
function markPage(doc: PDFDocument, page: PDFPage, marks: PageMarks): number {
  const box = page.getCropBox();
  const size = Math.min(28, Math.max(8, Math.min(box.width, box.height) / 36));
  const cjkKey = page.node.newFontDictionary("CstdCjk", marks.fonts.cjk.ref);
  const latinKey = page.node.newFontDictionary("CstdLatin", marks.fonts.latin.ref);
  const gs = page.node.newExtGState("CstdGs", doc.context.obj({ Type: "ExtGState", ca: OPACITY, CA: OPACITY }));
  const lineWidth = size * Math.max(...marks.runs.map((runs) => runs.reduce((sum, run) => sum + run.width, 0)));
  const leading = size * 1.6;
  // Wide gaps between tiles, so no text extractor reads two tiles as one line.
  const tileW = lineWidth + size * 6;
  const tileH = marks.runs.length * leading + size * 4;
  const cos = Math.cos(ANGLE);
  const sin = Math.sin(ANGLE);
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  // Half the page's extent along the text direction (u) and across it (v).
  const halfU = (box.width * cos + box.height * sin) / 2;
  const halfV = (box.width * sin + box.height * cos) / 2;

  const ops: PDFOperator[] = [beginMarkedContent("Artifact"), pushGraphicsState(), setGraphicsState(gs), setFillingGrayscaleColor(GREY), beginText()];
  let lineNo = marks.lineNo;
  for (let row = Math.floor(-halfV / tileH) - 1; row <= Math.ceil(halfV / tileH); row++) {
    const shift = row % 2 === 0 ? 0 : tileW / 2; // staggered rows leave no clean strip to crop
    for (let col = Math.floor((-halfU - lineWidth) / tileW) - 1; col <= Math.ceil(halfU / tileW); col++) {
      const u = col * tileW + shift;
      const v = row * tileH;
      marks.runs.forEach((runs, k) => {
        const along = v - k * leading;
        const base = { x: centre.x + u * cos - along * sin, y: centre.y + u * sin + along * cos };
        if (!nearPage(base, lineWidth, box, cos, sin)) return;
        // Only lines that start on the page carry a symbol: text extraction drops what lies off it.
        const at = inside(base, box) ? placeSymbol(base, marks.symbols[lineNo++ % marks.symbols.length]!) : base;
        ops.push(setTextMatrix(cos, sin, -sin, cos, at.x, at.y));
        for (const run of runs) ops.push(setFontAndSize(run.cjk ? cjkKey : latinKey, size), showText(run.encoded));
      });
    }
  }
  ops.push(endText(), popGraphicsState(), endMarkedContent());

  // The token: not an artifact, since some extractors skip those.
  const tokenWidth = marks.fonts.latin.widthOfTextAtSize(marks.token, TOKEN_SIZE);
  ops.push(pushGraphicsState(), beginText(), setTextRenderingMode(TextRenderingMode.Invisible), setFontAndSize(latinKey, TOKEN_SIZE));
  for (const spot of TOKEN_SPOTS) {
    const x = box.x + Math.min(spot.x * box.width, Math.max(0, box.width - tokenWidth - 1));
    ops.push(setTextMatrix(1, 0, 0, 1, x, box.y + spot.y * box.height), showText(marks.fonts.latin.encodeText(marks.token)));
  }
  ops.push(endText(), popGraphicsState());
  page.pushOperators(...ops);
  return lineNo;
}

function inside(point: Point, box: { x: number; y: number; width: number; height: number }): boolean {
  const inset = 2;
  return point.x >= box.x + inset && point.x <= box.x + box.width - inset && point.y >= box.y + inset && point.y <= box.y + box.height - inset;
}

/** True when a line starting at `start` may show on the page (its rough bounding box meets the page's). */
function nearPage(start: Point, length: number, box: { x: number; y: number; width: number; height: number }, cos: number, sin: number): boolean {
  const end = { x: start.x + length * cos, y: start.y + length * sin };
  const margin = 20;
  return (
    Math.max(start.x, end.x) >= box.x - margin &&
    Math.min(start.x, end.x) <= box.x + box.width + margin &&
    Math.max(start.y, end.y) >= box.y - margin &&
    Math.min(start.y, end.y) <= box.y + box.height + margin
  );
}

/** The token under a custom Info key, and the tagged id as both halves of the trailer /ID. */
function writeMetadata(doc: PDFDocument, copyId: Buffer, token: string): void {
  const context = doc.context;
  let info = context.trailerInfo.Info ? context.lookupMaybe(context.trailerInfo.Info, PDFDict) : undefined;
  if (!info) {
    info = context.obj({});
    context.trailerInfo.Info = context.register(info);
  }
  info.set(PDFName.of(INFO_KEY), PDFString.of(token));
  const id = taggedCopyId(copyId).toString("hex");
  const ids: PDFArray = context.obj([PDFHexString.of(id), PDFHexString.of(id)]);
  context.trailerInfo.ID = ids;
}
