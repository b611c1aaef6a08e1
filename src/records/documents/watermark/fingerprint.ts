/**
 * Reading a leaked copy's fingerprints back: every distinct copy id found, per layer, each validated
 * by its checksum. Never throws: a damaged, foreign or hostile file yields what could be read, or [].
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFString } from "pdf-lib";
import { getDocumentProxy } from "unpdf";
import { findCopyTokens, untagCopyId } from "./copy-token.js";
import { decodeGeometry, readSymbol } from "./geometry.js";
import { readOfficeFingerprints } from "./ooxml.js";

export type FingerprintLayer = "metadata" | "invisible_text" | "geometry";

export interface Fingerprint {
  copyId: Buffer;
  layer: FingerprintLayer;
}

const PDF_MAGIC = Buffer.from("%PDF-");
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
// Readers accept a PDF header anywhere in the first KiB.
const PDF_HEADER_WINDOW = 1024;
// A plain-text leak (an extraction pasted somewhere) is searched for tokens up to this size.
const TEXT_MAX_BYTES = 64 * 1024 * 1024;

export async function readFingerprints(file: Uint8Array): Promise<Fingerprint[]> {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  const found: Fingerprint[] = [];
  const add = (layer: FingerprintLayer, ids: readonly Buffer[]) => {
    for (const copyId of ids) if (!found.some((f) => f.layer === layer && f.copyId.equals(copyId))) found.push({ copyId, layer });
  };
  if (bytes.subarray(0, PDF_HEADER_WINDOW).includes(PDF_MAGIC)) {
    add("metadata", await pdfMetadata(bytes));
    const content = await pdfContent(bytes);
    add("invisible_text", content.text);
    add("geometry", content.geometry);
  } else if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    add("metadata", await readOfficeFingerprints(bytes));
  } else if (bytes.length <= TEXT_MAX_BYTES) {
    add("invisible_text", findCopyTokens(bytes.toString("utf8")));
  }
  return found;
}

/** Tokens in any Info value, and a tagged id in the trailer /ID. */
async function pdfMetadata(bytes: Buffer): Promise<Buffer[]> {
  try {
    // ignoreEncryption: an encrypted file's /ID is still in clear.
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    const { context } = doc;
    const ids: Buffer[] = [];
    const info = context.trailerInfo.Info ? context.lookupMaybe(context.trailerInfo.Info, PDFDict) : undefined;
    for (const value of info?.values() ?? []) {
      const object = context.lookup(value);
      if (object instanceof PDFString || object instanceof PDFHexString) ids.push(...findCopyTokens(object.decodeText()));
    }
    const trailerId = context.trailerInfo.ID ? context.lookup(context.trailerInfo.ID) : undefined;
    if (trailerId instanceof PDFArray) {
      for (const part of trailerId.asArray()) {
        const object = context.lookup(part);
        const id = object instanceof PDFString || object instanceof PDFHexString ? untagCopyId(object.asBytes()) : null;
        if (id) ids.push(id);
      }
    }
    return ids;
  } catch {
    return [];
  }
}

/** Tokens in the text layer (invisible text included) and copy ids in the stamp's geometry, through pdf.js. */
async function pdfContent(bytes: Buffer): Promise<{ text: Buffer[]; geometry: Buffer[] }> {
  const text: Buffer[] = [];
  const symbols: number[][] = [];
  let doc: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    // A copy: pdf.js may take over the buffer. No eval: a crafted font cannot run code (CVE-2024-4367).
    doc = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, isEvalSupported: false, useSystemFonts: false });
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const strings: string[] = [];
      const pageSymbols: number[] = [];
      for (const item of (await page.getTextContent()).items) {
        if (!("str" in item)) continue;
        strings.push(item.str);
        const symbol = item.str.trim() === "" ? null : readSymbol({ x: item.transform[4], y: item.transform[5] });
        if (symbol !== null) pageSymbols.push(symbol);
      }
      page.cleanup();
      // Items joined by newlines: a token split across items is still found, never glued to a neighbour.
      text.push(...findCopyTokens(strings.join("\n")));
      symbols.push(pageSymbols);
    }
  } catch {
    // Whatever pages were read still count.
  } finally {
    await doc?.destroy().catch(() => {});
  }
  return { text, geometry: decodeGeometry(symbols) };
}
