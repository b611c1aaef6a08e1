/**
 * The watermark's CJK font. Debian's fonts-droid-fallback ships a plain TrueType file pdf-lib can
 * embed (the Noto Sans CJK files are collections whose CFF outlines fontkit subsets into invalid
 * fonts). Droid Sans Fallback has no Latin letters or digits, so those are drawn in Helvetica.
 */
import { existsSync, readFileSync } from "node:fs";
import fontkit from "@pdf-lib/fontkit";
import type { PDFDocument } from "pdf-lib";
import { WatermarkError } from "./errors.js";

/** Known places of a CJK TrueType font on Debian, in order of preference. */
export const STAMP_FONT_PATHS: readonly string[] = [
  "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
  "/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
];

/** The first stamp font that exists, or `watermark_font_missing`. */
export function stampFontPath(paths: readonly string[] = STAMP_FONT_PATHS): string {
  const found = paths.find((path) => existsSync(path));
  if (found === undefined) throw new WatermarkError("watermark_font_missing");
  return found;
}

type Fontkit = Parameters<PDFDocument["registerFontkit"]>[0];
type FontkitFont = ReturnType<Fontkit["create"]>;

export interface StampFont {
  /** The font file, normalised (see padGlyphs). */
  bytes: Uint8Array;
  /** Registers with pdf-lib; parses the 4 MB font once per process instead of once per copy. */
  fontkit: Fontkit;
  /** True when the font has a glyph for the code point. */
  covers(codePoint: number): boolean;
}

let cached: StampFont | null = null;

export function stampFont(): StampFont {
  if (cached) return cached;
  let bytes: Uint8Array;
  try {
    bytes = padGlyphs(readFileSync(stampFontPath()));
  } catch (error) {
    throw error instanceof WatermarkError ? error : new WatermarkError("watermark_font_missing");
  }
  const parsed: FontkitFont = fontkit.create(bytes);
  cached = {
    bytes,
    fontkit: { create: (data, postscriptName) => (data === bytes ? parsed : fontkit.create(data, postscriptName)) },
    covers: (codePoint) => parsed.hasGlyphForCodePoint(codePoint),
  };
  return cached;
}

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

/**
 * Rewrites a TrueType font so that every glyph starts on a 4-byte boundary, with a long `loca`.
 * fontkit copies each glyph's bytes into its subset as they are and, for a subset under 128 KiB,
 * writes the short `loca` format, which halves every offset: an odd-length glyph (a quarter of
 * Droid Sans Fallback's) shifts all that follow and they render as nothing. Fonts without `glyf`
 * (CFF outlines) are returned unchanged.
 */
export function padGlyphs(font: Uint8Array): Uint8Array {
  const src = Buffer.from(font.buffer, font.byteOffset, font.byteLength);
  const count = src.readUInt16BE(4);
  const records: TableRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = 12 + 16 * i;
    records.push({ tag: src.toString("latin1", at, at + 4), offset: src.readUInt32BE(at + 8), length: src.readUInt32BE(at + 12) });
  }
  const table = (tag: string) => records.find((r) => r.tag === tag);
  const head = table("head");
  const loca = table("loca");
  const glyf = table("glyf");
  const maxp = table("maxp");
  if (!head || !loca || !glyf || !maxp) return font;
  const longLoca = src.readInt16BE(head.offset + 50) === 1;
  const glyphs = src.readUInt16BE(maxp.offset + 4);
  const start = (i: number) => (longLoca ? src.readUInt32BE(loca.offset + 4 * i) : src.readUInt16BE(loca.offset + 2 * i) * 2);

  const parts: Buffer[] = [];
  const newLoca = Buffer.alloc(4 * (glyphs + 1));
  let offset = 0;
  for (let i = 0; i < glyphs; i++) {
    newLoca.writeUInt32BE(offset, 4 * i);
    const glyph = src.subarray(glyf.offset + start(i), glyf.offset + start(i + 1));
    const padded = (glyph.length + 3) & ~3;
    parts.push(glyph, Buffer.alloc(padded - glyph.length));
    offset += padded;
  }
  newLoca.writeUInt32BE(offset, 4 * glyphs);
  const newHead = Buffer.from(src.subarray(head.offset, head.offset + head.length));
  newHead.writeInt16BE(1, 50); // indexToLocFormat: long
  newHead.writeUInt32BE(0, 8); // checkSumAdjustment: nothing reads it when embedded

  const data = (r: TableRecord) =>
    r === glyf ? Buffer.concat(parts) : r === loca ? newLoca : r === head ? newHead : src.subarray(r.offset, r.offset + r.length);
  const tables = records.map((r) => ({ tag: r.tag, data: data(r) }));
  let size = 12 + 16 * count;
  const offsets = tables.map((t) => {
    const at = size;
    size += (t.data.length + 3) & ~3;
    return at;
  });
  const out = Buffer.alloc(size);
  src.copy(out, 0, 0, 12);
  tables.forEach((t, i) => {
    const at = 12 + 16 * i;
    out.write(t.tag, at, "latin1");
    out.writeUInt32BE(tableChecksum(t.data), at + 4);
    out.writeUInt32BE(offsets[i]!, at + 8);
    out.writeUInt32BE(t.data.length, at + 12);
    t.data.copy(out, offsets[i]!);
  });
  return out;
}

function tableChecksum(data: Buffer): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum = (sum + (((data[i]! << 24) | ((data[i + 1] ?? 0) << 16) | ((data[i + 2] ?? 0) << 8) | (data[i + 3] ?? 0)) >>> 0)) >>> 0;
  }
  return sum;
}
