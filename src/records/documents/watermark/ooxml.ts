/**
 * The fingerprint of a DOCX or XLSX copy: a custom document property (docProps/custom.xml, shown in
 * Word's and Excel's Properties dialog) holding the copy token. Only that part, the package
 * relationships and the content types change; every other entry is copied still compressed.
 */
import type { Readable } from "node:stream";
import JSZip from "jszip";
import { assertCopyId, encodeCopyToken, findCopyTokens } from "./copy-token.js";
import { WatermarkError } from "./errors.js";

export const CUSTOM_PROPERTY = "CustodiaCopy";
const CUSTOM_PART = "docProps/custom.xml";
const CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties";
const CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml";
const PROPERTIES_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes";
// The format id Office gives every user-defined property.
const USER_DEFINED = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}";
// Package parts we read are small XML; a larger one is not worth inflating (a ZIP bomb).
const PART_MAX_BYTES = 4 * 1024 * 1024;

/** A copy of an OOXML package (DOCX, XLSX) carrying the copy token as a custom property. */
export async function fingerprintOfficeFile(pkg: Uint8Array, copyId: Buffer): Promise<Uint8Array> {
  assertCopyId(copyId);
  const token = encodeCopyToken(copyId);
  try {
    const zip = await JSZip.loadAsync(pkg);
    const types = await readPart(zip, "[Content_Types].xml");
    const rels = await readPart(zip, "_rels/.rels");
    if (types === null || rels === null) throw new WatermarkError("watermark_failed");
    const part = customPartName(rels) ?? CUSTOM_PART;
    const existing = await readPart(zip, part);
    zip.file(part, withProperty(existing, token));
    if (customPartName(rels) === null) zip.file("_rels/.rels", withRelationship(rels));
    if (!new RegExp(`PartName="/${escapeRegExp(part)}"`, "i").test(types)) zip.file("[Content_Types].xml", withOverride(types, part));
    // DEFLATE, as Office writes: entries already deflated are copied without recompressing.
    return await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
  } catch (error) {
    throw error instanceof WatermarkError ? error : new WatermarkError("watermark_failed");
  }
}

export const fingerprintDocx = fingerprintOfficeFile;
export const fingerprintXlsx = fingerprintOfficeFile;

/** The copy ids in a package's custom properties; [] for anything unreadable. */
export async function readOfficeFingerprints(pkg: Uint8Array): Promise<Buffer[]> {
  try {
    const zip = await JSZip.loadAsync(pkg);
    const rels = await readPart(zip, "_rels/.rels");
    const part = (rels === null ? null : customPartName(rels)) ?? CUSTOM_PART;
    const xml = await readPart(zip, part);
    return xml === null ? [] : findCopyTokens(xml);
  } catch {
    return [];
  }
}

/** An entry as text, or null when absent; inflated against a limit. */
function readPart(zip: JSZip, name: string): Promise<string | null> {
  const file = zip.file(name);
  if (!file) return Promise.resolve(null);
  // JSZip's node stream is an old-style stream (events, not async iteration).
  const stream = file.nodeStream("nodebuffer") as Readable;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > PART_MAX_BYTES) {
        stream.removeAllListeners("data");
        stream.pause();
        reject(new WatermarkError("watermark_failed"));
      } else chunks.push(chunk);
    });
    stream.on("error", () => reject(new WatermarkError("watermark_failed")));
    stream.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

/** The package-relative name of the custom properties part the relationships point to. */
function customPartName(rels: string): string | null {
  for (const [element] of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    if (attribute(element, "Type") !== CUSTOM_REL) continue;
    const target = attribute(element, "Target");
    if (target) return target.replace(/^\//, "");
  }
  return null;
}

function attribute(element: string, name: string): string | null {
  return (
    new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)
      .exec(element)
      ?.slice(1)
      .find((v) => v !== undefined) ?? null
  );
}

/** The custom properties with ours set to `token` (replacing an earlier value, keeping the others). */
function withProperty(existing: string | null, token: string): string {
  const property = (prefix: string, pid: number) =>
    `<${prefix}property fmtid="${USER_DEFINED}" pid="${pid}" name="${CUSTOM_PROPERTY}" xmlns:vt="${VT_NS}"><vt:lpwstr>${token}</vt:lpwstr></${prefix}property>`;
  const close = existing === null ? null : /<\/(\w+:)?Properties\s*>/.exec(existing);
  if (existing === null || close === null) {
    return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="${PROPERTIES_NS}" xmlns:vt="${VT_NS}">${property("", 2)}</Properties>`;
  }
  const prefix = close[1] ?? "";
  const ours = new RegExp(`<${prefix}property\\b[^>]*\\sname\\s*=\\s*["']${CUSTOM_PROPERTY}["'][^>]*>[\\s\\S]*?</${prefix}property\\s*>`, "g");
  const kept = existing.replace(ours, "");
  // pid 0 and 1 are reserved; a new property takes the next free one.
  const pids = [...kept.matchAll(/\spid\s*=\s*["'](\d+)["']/g)].map((m) => Number(m[1]));
  const pid = Math.max(1, ...pids) + 1;
  const end = kept.lastIndexOf(`</${prefix}Properties`);
  return `${kept.slice(0, end)}${property(prefix, pid)}${kept.slice(end)}`;
}

function withRelationship(rels: string): string {
  const ids = new Set([...rels.matchAll(/\sId\s*=\s*["']([^"']*)["']/g)].map((m) => m[1]));
  let n = 1;
  while (ids.has(`rIdCstd${n}`)) n++;
  const close = /<\/(\w+:)?Relationships\s*>/.exec(rels);
  if (!close) throw new WatermarkError("watermark_failed");
  const prefix = close[1] ?? "";
  const rel = `<${prefix}Relationship Id="rIdCstd${n}" Type="${CUSTOM_REL}" Target="${CUSTOM_PART}"/>`;
  return rels.slice(0, close.index) + rel + rels.slice(close.index);
}

function withOverride(types: string, part: string): string {
  const close = /<\/(\w+:)?Types\s*>/.exec(types);
  if (!close) throw new WatermarkError("watermark_failed");
  const prefix = close[1] ?? "";
  return `${types.slice(0, close.index)}<${prefix}Override PartName="/${part}" ContentType="${CUSTOM_TYPE}"/>${types.slice(close.index)}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
