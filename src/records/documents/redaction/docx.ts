/**
 * Word documents (DOCX): every XML part is redacted in place (ooxml-part.ts), so paragraphs, runs and
 * their formatting, tables, headers, footers, footnotes and comments keep their layout and only the
 * removed values change. Beyond the text:
 * - core and extended properties lose author, last editor, title, subject, keywords, company and
 *   manager; custom properties are dropped (the part stays, empty); the thumbnail (a picture of the
 *   first page) is removed;
 * - pictures (PNG, JPEG) get boxes burned in over recognised values (image.ts), so a document with
 *   pictures needs tesseract (without it: redaction_ocr_unavailable, rather than a copy whose pictures
 *   went unread); pictures in other formats (EMF, WMF, GIF …) are kept as they are;
 * - embedded workbooks and documents (chart data, OLE packages) are redacted in turn; any other
 *   embedded object is refused, since its content cannot be read here.
 */
import { RedactionError } from "./errors.js";
import { isXmlPart, redactPart, verifyPackage } from "./ooxml-part.js";
import { addCounts, type RedactionPolicy, type RemovedCounts } from "./policy.js";
import { getAttr, lex, unlex } from "./xml.js";
import { type Budget, readPackage, writePackage } from "./zip.js";

export const DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Redacts a document nested in this one (a picture, an embedded workbook) by its media type. */
export type NestedRedactor = (bytes: Buffer, mediaType: string) => Promise<{ bytes: Buffer; removed: RemovedCounts }>;

const THUMBNAIL = /^docProps\/thumbnail\.[A-Za-z]+$/;
const PICTURES: Record<string, string> = { png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg" };
const EMBEDDED: Record<string, string> = { docx: DOCX, xlsx: XLSX };
const EMPTY_CUSTOM =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';

const extension = (name: string) => name.slice(name.lastIndexOf(".") + 1).toLowerCase();

export async function redactDocx(
  bytes: Uint8Array,
  policy: RedactionPolicy,
  nested: NestedRedactor,
  budget: Budget,
): Promise<{ bytes: Buffer; removed: RemovedCounts }> {
  const entries = await readPackage(bytes, budget);
  if (!entries.has("word/document.xml")) throw new RedactionError("redaction_corrupt");
  const out = new Map<string, Uint8Array>();
  const removed: RemovedCounts = {};
  for (const [name, data] of entries) {
    if (THUMBNAIL.test(name)) continue;
    if (name === "docProps/custom.xml") out.set(name, Buffer.from(EMPTY_CUSTOM));
    else if (isXmlPart(name)) {
      const part = redactPart(withoutThumbnail(name, data.toString("utf8")), policy);
      addCounts(removed, part.removed);
      out.set(name, Buffer.from(part.xml, "utf8"));
    } else if (name.includes("/embeddings/")) {
      const type = EMBEDDED[extension(name)];
      if (type === undefined) throw new RedactionError("redaction_embedded_unsupported");
      out.set(name, await nestedInto(removed, nested, data, type));
    } else if (PICTURES[extension(name)] !== undefined) {
      out.set(name, await nestedInto(removed, nested, data, PICTURES[extension(name)]!));
    } else out.set(name, data);
  }
  verifyPackage(out, policy);
  return { bytes: await writePackage(out), removed };
}

async function nestedInto(removed: RemovedCounts, nested: NestedRedactor, data: Buffer, type: string): Promise<Buffer> {
  const result = await nested(data, type);
  addCounts(removed, result.removed);
  return result.bytes;
}

// The package relationship and content-type override of the thumbnail go with it.
function withoutThumbnail(name: string, xml: string): string {
  if (name !== "_rels/.rels" && name !== "[Content_Types].xml") return xml;
  const tokens = lex(xml);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "open" || (t.name !== "Relationship" && t.name !== "Override")) continue;
    const target = getAttr(t.raw, t.name === "Relationship" ? "Target" : "PartName") ?? "";
    if (!THUMBNAIL.test(target.replace(/^\//, ""))) continue;
    tokens[i] = { ...t, raw: "" };
    for (let j = i + 1; !t.selfClosing && j < tokens.length; j++) {
      const closes = tokens[j]!.kind === "close";
      tokens[j] = { kind: "other", raw: "" };
      if (closes) break;
    }
  }
  return unlex(tokens);
}
