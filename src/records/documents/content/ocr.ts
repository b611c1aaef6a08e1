/**
 * Text recognition with Debian's tesseract CLI (tesseract-ocr, chi_sim and eng). The image goes in on
 * stdin and the text comes out on stdout: nothing touches the disk.
 */
import { ExtractionError } from "./errors.js";
import { runPiped } from "./process.js";

export interface OcrOptions {
  /** Per image; default 120 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A recognised word with its box in image pixels, for burning redaction boxes into images. */
export interface OcrWord {
  text: string;
  left: number;
  top: number;
  width: number;
  height: number;
  /** Index of the word's line, counted from 0 in reading order across the image. */
  line: number;
  /** Tesseract's confidence, 0-100. */
  conf: number;
  /** 1-based; only a multi-page TIFF has more than one. */
  page: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_TEXT_BYTES = 64 * 1024 * 1024;

let languages: Promise<string | null> | null = null;

/** The `-l` argument: chi_sim, with eng when installed; null when tesseract or chi_sim is missing. Cached. */
function ocrLanguages(): Promise<string | null> {
  languages ??= runPiped("tesseract", ["--list-langs"], new Uint8Array(), { timeoutMs: 15_000 }).then(
    (out) => {
      const listed = new Set(
        out
          .toString("utf8")
          .split(/\r?\n/)
          .slice(1)
          .map((l) => l.trim()),
      );
      if (!listed.has("chi_sim")) return null;
      return listed.has("eng") ? "chi_sim+eng" : "chi_sim";
    },
    () => null,
  );
  return languages;
}

/** Whether tesseract is on PATH with chi_sim installed; checked once per process. */
export async function ocrAvailable(): Promise<boolean> {
  return (await ocrLanguages()) !== null;
}

async function tesseract(image: Uint8Array, format: "txt" | "tsv", options: OcrOptions): Promise<string> {
  const lang = await ocrLanguages();
  if (lang === null) throw new ExtractionError("ocr_unavailable");
  const args = ["stdin", "stdout", "-l", lang, ...(format === "tsv" ? ["tsv"] : [])];
  const out = await runPiped("tesseract", args, image, {
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    signal: options.signal,
    maxOutputBytes: MAX_TEXT_BYTES,
  });
  return out.toString("utf8");
}

/** The text of each page of an image (several only for a multi-page TIFF), CJK spacing repaired. */
export async function ocrPages(image: Uint8Array, options: OcrOptions = {}): Promise<string[]> {
  const text = await tesseract(image, "txt", options);
  // Tesseract ends each page but the last with a form feed.
  const pages = text.split("\f").map((page) => joinCjkSpaces(page.trim()));
  if (pages.length > 1 && pages.at(-1) === "") pages.pop();
  return pages;
}

export async function ocrWords(image: Uint8Array, options: OcrOptions = {}): Promise<OcrWord[]> {
  return parseTsv(await tesseract(image, "tsv", options));
}

/** Tesseract's TSV: level, page, block, paragraph, line, word, left, top, width, height, conf, text. */
export function parseTsv(tsv: string): OcrWord[] {
  const words: OcrWord[] = [];
  const lines = new Map<string, number>();
  for (const row of tsv.split(/\r?\n/).slice(1)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const text = f.slice(11).join("\t").trim();
    if (text === "") continue;
    const key = `${f[1]}.${f[2]}.${f[3]}.${f[4]}`;
    let line = lines.get(key);
    if (line === undefined) lines.set(key, (line = lines.size));
    words.push({
      text,
      left: Number(f[6]),
      top: Number(f[7]),
      width: Number(f[8]),
      height: Number(f[9]),
      line,
      conf: Number(f[10]),
      page: Number(f[1]),
    });
  }
  return words;
}

// Han, CJK symbols and punctuation (not the ideographic space), full-width forms.
const CJK = "\\p{Script=Han}\\u3001-\\u303F\\uFF01-\\uFFEF";
const PUNCT = ":;,.!?()";
const CJK_GAP = new RegExp(`(?<=[${CJK}])[ \\t]+(?=[${CJK}${PUNCT}])|(?<=[${CJK}${PUNCT}])[ \\t]+(?=[${CJK}])`, "gu");

/**
 * Tesseract's chi_sim model separates CJK characters (and the punctuation after a label) by spaces
 * ("姓 名 : 张 三"); joined up, names, labels and addresses read as written ("姓名:张三") for the PII
 * detector. Spaces between Latin letters or digits are kept.
 */
export function joinCjkSpaces(text: string): string {
  return text.replace(CJK_GAP, "");
}
