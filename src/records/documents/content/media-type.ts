/**
 * A document's media type from its content's magic bytes, never from the client's claim or the
 * filename: what a file is decides how it is parsed, previewed and redacted.
 */
import { fileTypeFromBuffer } from "file-type";
import { localEntryNames } from "./zip.js";

export const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const DOCUMENT_MEDIA_TYPES = ["application/pdf", DOCX, XLSX, "image/png", "image/jpeg", "image/tiff", "text/plain", "application/octet-stream"] as const;
export type DocumentMediaType = (typeof DOCUMENT_MEDIA_TYPES)[number];

/** How many leading bytes `sniffMediaType` looks at; pass at least this many when there are. */
export const SNIFF_BYTES = 4100;

const SNIFFED: ReadonlySet<string> = new Set(DOCUMENT_MEDIA_TYPES.filter((t) => t !== "text/plain" && t !== "application/octet-stream"));

export async function sniffMediaType(head: Uint8Array): Promise<DocumentMediaType> {
  const bytes = head.subarray(0, SNIFF_BYTES);
  let detected: string | undefined;
  try {
    detected = (await fileTypeFromBuffer(bytes))?.mime;
  } catch {
    detected = undefined; // a parser tripping over crafted bytes means "not that format"
  }
  if (detected === "image/apng") return "image/png"; // an animated PNG is a PNG; OCR reads its first frame
  if (detected !== undefined && SNIFFED.has(detected)) return detected as DocumentMediaType;
  // file-type needs [Content_Types].xml, which the `docx` package (and others) write last.
  if (detected === "application/zip") return officeFromEntries(bytes) ?? "application/octet-stream";
  // Text formats file-type knows (XML, SVG, HTML …) are text to us: read as text, never rendered.
  return isUtf8Text(bytes, bytes.length === SNIFF_BYTES) ? "text/plain" : "application/octet-stream";
}

function officeFromEntries(head: Uint8Array): DocumentMediaType | null {
  const names = localEntryNames(head);
  if (names.some((name) => name.startsWith("word/"))) return DOCX;
  if (names.some((name) => name.startsWith("xl/"))) return XLSX;
  return null;
}

/**
 * Valid UTF-8 (a BOM allowed) without NUL or other C0 controls but tab, line feed, vertical tab, form
 * feed, carriage return and escape. When `cut` (the head is a prefix of a longer file) it may end
 * inside a character.
 */
export function isUtf8Text(head: Uint8Array, cut = false): boolean {
  let i = 0;
  while (i < head.length) {
    const b = head[i]!;
    if (b < 0x80) {
      if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0b && b !== 0x0c && b !== 0x0d && b !== 0x1b) return false;
      if (b === 0x7f) return false;
      i++;
      continue;
    }
    const width = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (width === 0) return false;
    for (let k = 1; k < width; k++) {
      if (i + k >= head.length) return cut;
      const c = head[i + k]!;
      if (c < 0x80 || c > 0xbf) return false;
      // Overlong forms, surrogates and code points above U+10FFFF.
      if (k === 1 && ((b === 0xe0 && c < 0xa0) || (b === 0xed && c > 0x9f) || (b === 0xf0 && c < 0x90) || (b === 0xf4 && c > 0x8f))) return false;
    }
    i += width;
  }
  return true;
}
