/**
 * Words and their boxes from Debian's tesseract (chi_sim + eng, TSV output), joined into text the
 * detector can read: tesseract puts a space between CJK characters, so words are joined with a space
 * only between two Latin letters or digits, lines with a line break, blocks with a blank line. Every
 * character of the text knows the word it came from, so a span maps back to boxes.
 */
import { RedactionError } from "./errors.js";
import { runPiped } from "./piped.js";

export interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

export interface OcrWord extends Box {
  /** Offsets of the word in the page text. */
  readonly start: number;
  readonly end: number;
  /** Words of one line share this number. */
  readonly line: number;
}

export interface OcrPage {
  readonly text: string;
  readonly words: readonly OcrWord[];
}

const OCR_TIMEOUT_MS = 180_000;
const LANGUAGES = ["chi_sim", "eng"];

let available: Promise<boolean> | null = null;

/** True when tesseract runs and has both languages; asked once per process. */
export function ocrAvailable(): Promise<boolean> {
  available ??= runPiped("tesseract", ["--list-langs"], null, 30_000).then(
    (out) => {
      const langs = new Set(
        out
          .toString("utf8")
          .split(/\r?\n/)
          .map((l) => l.trim()),
      );
      return LANGUAGES.every((l) => langs.has(l));
    },
    () => false,
  );
  return available;
}

export async function recognise(png: Uint8Array): Promise<OcrPage> {
  if (!(await ocrAvailable())) throw new RedactionError("redaction_ocr_unavailable");
  const tsv = await runPiped("tesseract", ["stdin", "stdout", "-l", LANGUAGES.join("+"), "tsv"], png, OCR_TIMEOUT_MS);
  return parseTsv(tsv.toString("utf8"));
}

const JOINED = /[0-9A-Za-z]/;

/** Parses tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, conf, text). */
export function parseTsv(tsv: string): OcrPage {
  let text = "";
  const words: OcrWord[] = [];
  let block = "";
  let line = "";
  let lines = 0;
  for (const row of tsv.split(/\r?\n/)) {
    const f = row.split("\t");
    if (f.length < 12 || f[0] !== "5") continue;
    const word = f.slice(11).join("\t").trim();
    if (word === "") continue;
    const [left, top, width, height] = f.slice(6, 10).map(Number) as [number, number, number, number];
    if (![left, top, width, height].every(Number.isFinite)) continue;
    const thisBlock = `${f[1]}.${f[2]}`;
    const thisLine = `${thisBlock}.${f[3]}.${f[4]}`;
    if (text !== "") {
      if (thisBlock !== block) text += "\n\n";
      else if (thisLine !== line) text += "\n";
      else if (JOINED.test(text[text.length - 1]!) && JOINED.test(word[0]!)) text += " ";
    }
    if (thisLine !== line) lines++;
    block = thisBlock;
    line = thisLine;
    words.push({ start: text.length, end: text.length + word.length, left, top, width, height, line: lines });
    text += word;
  }
  return { text, words };
}

// CJK characters are about twice as wide as Latin letters and digits: a span covering part of a word
// ("号：110105…") gets its share of the box by that weight.
const wide = (c: string) => (/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u.test(c) ? 2 : 1);

function share(page: OcrPage, w: OcrWord, start: number, end: number): [number, number] {
  let before = 0;
  let inside = 0;
  let total = 0;
  let at = w.start;
  for (const c of page.text.slice(w.start, w.end)) {
    const weight = wide(c);
    if (at < start) before += weight;
    else if (at < end) inside += weight;
    total += weight;
    at += c.length;
  }
  const x0 = w.left + (w.width * before) / total;
  return [x0, x0 + (w.width * inside) / total];
}

/**
 * The boxes covering [start, end) of the page text, one per line. Tesseract's word boxes for Chinese
 * are loose (a box may start a character late), so a box reaches out to the next word kept on either
 * side (or half a line height at the line's ends) and a few pixels above and below: any pixel between
 * kept words is taken as part of what is removed.
 */
export function boxesFor(page: OcrPage, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  const words = page.words;
  for (let i = 0; i < words.length; ) {
    if (words[i]!.end <= start || end <= words[i]!.start) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < words.length && words[j + 1]!.line === words[i]!.line && words[j + 1]!.start < end) j++;
    const first = words[i]!;
    const last = words[j]!;
    const covered = words.slice(i, j + 1);
    const top = Math.min(...covered.map((w) => w.top));
    const bottom = Math.max(...covered.map((w) => w.top + w.height));
    const height = bottom - top;
    const prev = i > 0 && words[i - 1]!.line === first.line ? words[i - 1]! : null;
    const next = j + 1 < words.length && words[j + 1]!.line === first.line ? words[j + 1]! : null;
    let x0 = first.start < start ? share(page, first, start, end)[0] : Math.min(first.left, prev ? prev.left + prev.width : first.left - height / 2);
    let x1 = last.end > end ? share(page, last, start, end)[1] : Math.max(last.left + last.width, next ? next.left : last.left + last.width + height / 2);
    x0 = Math.floor(x0) - 2;
    x1 = Math.ceil(x1) + 2;
    const margin = Math.max(2, Math.round(height * 0.15));
    boxes.push({ left: x0, top: top - margin, width: x1 - x0, height: height + 2 * margin });
    i = j + 1;
  }
  return boxes;
}
