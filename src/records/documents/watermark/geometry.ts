/**
 * The third fingerprint layer: the copy id hidden in where the watermark's lines start. Each line's
 * start point keeps its integer part and carries 11 bits in the fraction of x and 11 in the fraction
 * of y (odd multiples of 1/4096 pt, far below what anyone sees): a marker, the index of a 16-bit
 * word of the tagged id and the word, so any 10 lines hold a whole id. It survives what keeps the
 * page's content as it is (metadata stripping, deleting the invisible text, extracting, reordering
 * or merging pages); it does not survive re-rendering the page, which moves every coordinate.
 */
import { TAGGED_BYTES, taggedCopyId, untagCopyId } from "./copy-token.js";

const STEPS = 2048;
const MARKER = 1 << 21;
const WORDS = TAGGED_BYTES / 2;
// pdf.js parses a long decimal with at most 2^53 of mantissa: far coordinates come back a hair off.
const TOLERANCE = 1e-3;

export interface Point {
  x: number;
  y: number;
}

/** The symbols a copy's stamp lines carry in turn: marker, word index (0-9), 16-bit word. */
export function geometrySymbols(copyId: Uint8Array): number[] {
  const tagged = taggedCopyId(copyId);
  return Array.from({ length: WORDS }, (_, i) => MARKER | (i << 16) | tagged.readUInt16BE(2 * i));
}

/** `base` moved by less than 1 pt so that its fractions carry `symbol`. */
export function placeSymbol(base: Point, symbol: number): Point {
  const hi = symbol >> 11;
  const lo = symbol & (STEPS - 1);
  return { x: Math.floor(base.x) + (hi + 0.5) / STEPS, y: Math.floor(base.y) + (lo + 0.5) / STEPS };
}

function fractionStep(value: number): number | null {
  const scaled = (value - Math.floor(value)) * 2 * STEPS;
  const odd = Math.round(scaled);
  return Math.abs(scaled - odd) <= TOLERANCE && odd % 2 === 1 ? (odd - 1) / 2 : null;
}

/** The symbol a text item's start point carries, or null: nearly every other point has no such fractions. */
export function readSymbol(point: Point): number | null {
  const hi = fractionStep(point.x);
  const lo = fractionStep(point.y);
  if (hi === null || lo === null) return null;
  const symbol = hi * STEPS + lo;
  // The marker set, the bit above the index clear, and an index within range.
  return symbol >> 20 === MARKER >> 20 && ((symbol >> 16) & 15) < WORDS ? symbol : null;
}

/**
 * The copy ids the symbols of each page spell, page by page and then over the whole document (a
 * small page may carry fewer than 10 lines), each validated by its checksum.
 */
export function decodeGeometry(pages: readonly (readonly number[])[]): Buffer[] {
  const found = new Map<string, Buffer>();
  const decode = (symbols: readonly number[]) => {
    // Filled, not sparse: `some` skips the holes of a sparse array.
    const words = new Array<number | undefined>(WORDS).fill(undefined);
    for (const symbol of symbols) {
      const index = (symbol >> 16) & 15;
      const word = symbol & 0xffff;
      if (words[index] !== undefined && words[index] !== word) return; // two copies' lines mixed
      words[index] = word;
    }
    if (words.some((w) => w === undefined)) return;
    const tagged = Buffer.alloc(TAGGED_BYTES);
    words.forEach((word, i) => tagged.writeUInt16BE(word!, 2 * i));
    const copyId = untagCopyId(tagged);
    if (copyId) found.set(copyId.toString("hex"), copyId);
  };
  for (const page of pages) decode(page);
  if (found.size === 0) decode(pages.flat());
  return [...found.values()];
}
