/** Joining page texts into one text with each page's offsets. */
import { ExtractionError } from "./errors.js";

export interface PageSpan {
  /** 1-based: the PDF page, the TIFF page or the worksheet in workbook order. */
  page: number;
  /** UTF-16 offsets into the joined text: [start, end). */
  start: number;
  end: number;
}

// A blank line between pages: the PII detector joins numbers across one line break, never across two.
const PAGE_BREAK = "\n\n";
// Below V8's maximum string length (2^29 - 24), with room for the detector's normalised copy.
export const MAX_TEXT_CHARS = 256 * 1024 * 1024;

export function joinPages(texts: readonly string[]): { text: string; pages: PageSpan[] } {
  const pages: PageSpan[] = [];
  let length = 0;
  texts.forEach((text, i) => {
    if (i > 0) length += PAGE_BREAK.length;
    pages.push({ page: i + 1, start: length, end: length + text.length });
    length += text.length;
  });
  if (length > MAX_TEXT_CHARS) throw new ExtractionError("too_large");
  return { text: texts.join(PAGE_BREAK), pages };
}
