/**
 * DOCX and XLSX text. The body of a DOCX comes from mammoth; its headers, footers, footnotes,
 * endnotes and comments, which mammoth's raw text leaves out, from their XML parts. An XLSX gives one
 * page per worksheet (hidden ones too): its name, a blank line, then one line per row with the cells'
 * values separated by tabs, so a number in a cell stands on its own for the detector.
 */
import ExcelJS from "exceljs";
import JSZip from "jszip";
import mammoth from "mammoth";
import { ExtractionError } from "./errors.js";
import { declaredExpandedSize } from "./zip.js";

// What the parts of an office document may declare in all before any is inflated (a ZIP bomb guard).
const MAX_EXPANDED_BYTES = 512 * 1024 * 1024;
const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Refuses what no office parser should inflate: encrypted containers, bombs, non-ZIPs. */
function checkArchive(bytes: Buffer): void {
  // Office encrypts a document into an OLE compound file with an "EncryptedPackage" stream.
  if (CFB_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new ExtractionError(bytes.includes(Buffer.from("EncryptedPackage", "utf16le")) ? "encrypted" : "corrupt");
  }
  const expanded = declaredExpandedSize(bytes);
  if (expanded === null) throw new ExtractionError("corrupt");
  if (expanded > MAX_EXPANDED_BYTES) throw new ExtractionError("too_large");
}

const EXTRA_PARTS = [/^word\/header\d*\.xml$/, /^word\/footer\d*\.xml$/, /^word\/footnotes\.xml$/, /^word\/endnotes\.xml$/, /^word\/comments\.xml$/];

export async function extractDocx(bytes: Buffer): Promise<string> {
  checkArchive(bytes);
  try {
    const body = (await mammoth.extractRawText({ buffer: bytes })).value;
    const zip = await JSZip.loadAsync(bytes);
    const extras: string[] = [];
    for (const part of EXTRA_PARTS) {
      const names = Object.keys(zip.files)
        .filter((name) => part.test(name))
        .sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
      for (const name of names) {
        const text = wordXmlText(await zip.files[name]!.async("string"));
        if (text.trim() !== "") extras.push(text);
      }
    }
    return [body.trimEnd(), ...extras].join("\n\n");
  } catch {
    throw new ExtractionError("corrupt");
  }
}

const WORD_TOKEN = /<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>|<w:(tab|cr)\s*\/>|<w:(br)(?:\s[^>]*)?\/>|<\/w:p>/g;

/** The text of a WordprocessingML part: runs' text, tabs and breaks, a blank line after each paragraph. */
export function wordXmlText(xml: string): string {
  let text = "";
  for (const m of xml.matchAll(WORD_TOKEN)) {
    if (m[1] !== undefined) text += decodeXml(m[1]);
    // A run's tab; <w:tab w:val=… /> inside <w:tabs> is a tab stop and is not matched.
    else if (m[2] === "tab") text += "\t";
    else if (m[2] !== undefined || m[3] !== undefined) text += "\n";
    else text += "\n\n";
  }
  return text.replace(/\n{3,}/g, "\n\n").trim();
}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e[0] !== "#") return ENTITIES[e]!;
    const code = e[1] === "x" ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : "";
  });
}

export async function extractXlsx(bytes: Buffer): Promise<string[]> {
  checkArchive(bytes);
  const book = new ExcelJS.Workbook();
  try {
    // exceljs types its parameter as an ArrayBuffer-like of its own; it hands the bytes to JSZip.
    await book.xlsx.load(bytes as unknown as Parameters<typeof book.xlsx.load>[0]);
  } catch {
    throw new ExtractionError("corrupt");
  }
  return book.worksheets.map((sheet) => {
    const lines = [sheet.name, ""];
    sheet.eachRow((row) => {
      const cells: string[] = [];
      for (let c = 1; c <= row.cellCount; c++) {
        const cell = row.getCell(c);
        // A merged range repeats its first cell's value in every cell: read it once.
        cells.push(cell.isMerged && cell.master.address !== cell.address ? "" : valueText(cell.value));
      }
      lines.push(cells.join("\t").trimEnd());
    });
    return lines.join("\n");
  });
}

/**
 * A cell's value as text: numbers in full (not as their display format, which may hide digits as in
 * 1.38E+10), dates as ISO dates, formulas by their cached result, rich text joined. Line breaks and
 * tabs inside a cell become spaces, so a row stays one line.
 */
export function valueText(value: unknown): string {
  return rawValueText(value).replace(/[\t\r\n]+/g, " ");
}

function rawValueText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return "";
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  }
  if (typeof value === "object") {
    const v = value as { richText?: { text?: unknown }[]; text?: unknown; result?: unknown; error?: unknown; formula?: unknown; sharedFormula?: unknown };
    if (Array.isArray(v.richText)) return v.richText.map((run) => (typeof run.text === "string" ? run.text : "")).join("");
    if ("text" in v) return rawValueText(v.text); // a hyperlink: its shown text
    if ("formula" in v || "sharedFormula" in v) return rawValueText(v.result);
    if (typeof v.error === "string") return v.error;
  }
  return "";
}
