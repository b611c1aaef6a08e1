/**
 * What a redacted copy removes: detector findings at or above a confidence, the strings a user
 * marked, and (in recognised text from images) long digit runs. Spans are UTF-16 offsets into the
 * text given, like the detector's.
 */
import { type Confidence, detectPii, type PiiType } from "../pii/index.js";
import { RedactionError } from "./errors.js";

export type RedactionKind = PiiType | "marked" | "ocr_number";
/** Removed values per kind: counts only, safe to store, log or audit. */
export type RemovedCounts = Partial<Record<RedactionKind, number>>;

export interface RedactOptions {
  /** Strings a user marked for removal, matched ignoring case, width and whitespace. */
  marked?: readonly string[];
  /** The lowest detector confidence removed; "low" (the default) removes every finding. */
  minConfidence?: Confidence;
  /** Put where a value was; default REDACTION_MARK. Images get black boxes instead. */
  replacement?: string;
}

/**
 * The default mark. One fixed text whatever was removed, so the mark does not tell a resident ID
 * (18 characters) from a phone number (11) by its length, as one █ per character would; a reader sees
 * that something was deliberately removed, in the firm's language; a search of the copy finds every
 * place; every CJK font has the glyphs (Droid Sans Fallback, used for regenerated PDFs, has no █);
 * and brackets are nothing the detector joins across, so a mark never glues neighbouring digits
 * into a new number.
 */
export const REDACTION_MARK = "[已删除]";

export interface RedactionPolicy {
  readonly minRank: number;
  /** Folded, whitespace-free forms of the marked strings. */
  readonly marked: readonly string[];
  readonly replacement: string;
}

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: RedactionKind;
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const SPACE = /\s/;
const MAX_REPLACEMENT = 40;

// One UTF-16 unit to one, so offsets survive: full-width forms read as ASCII, case is ignored.
function fold(c: string): string {
  const f = c.normalize("NFKC").toLowerCase();
  return f.length === 1 ? f : c.toLowerCase().length === 1 ? c.toLowerCase() : c;
}

export function redactionPolicy(options: RedactOptions = {}): RedactionPolicy {
  const marked = [
    ...new Set(
      (options.marked ?? []).map((m) =>
        [...m]
          .filter((c) => !SPACE.test(c))
          .map(fold)
          .join(""),
      ),
    ),
  ].filter((m) => m.length > 0);
  const replacement = options.replacement ?? REDACTION_MARK;
  const policy: RedactionPolicy = { minRank: RANK[options.minConfidence ?? "low"], marked, replacement };
  // A mark that is itself redacted would be removed again on every pass, never settling.
  if (replacement.length > MAX_REPLACEMENT || /[\p{Cc}\p{Cf}]/u.test(replacement) || findSpans(replacement, policy).length > 0) {
    throw new RedactionError("redaction_replacement_invalid");
  }
  return policy;
}

/**
 * Spans to remove from `text`, sorted by start. A marked or OCR span lying inside a finding is left
 * out, so one value counts once, under the detector's type.
 */
export function findSpans(text: string, policy: RedactionPolicy, opts: { ocr?: boolean } = {}): Span[] {
  const found: Span[] = detectPii(text)
    .findings.filter((f) => RANK[f.confidence] >= policy.minRank)
    .map((f) => ({ start: f.start, end: f.end, kind: f.type }));
  // Findings never overlap and come in order: the one that could hold a span is the last starting at or before it.
  const inside = (s: Span) => {
    let lo = 0;
    let hi = found.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (found[mid]!.start <= s.start) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi >= 0 && s.end <= found[hi]!.end;
  };
  const extra = [...repeats(text, found), ...markedSpans(text, policy.marked), ...(opts.ocr ? ocrNumbers(text) : [])].filter((s) => !inside(s));
  return [...found, ...extra].sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * A value found once goes wherever else it appears, even where the detector could not see it (run
 * together with other digits, say): a copy that still shows it elsewhere is not redacted.
 */
function repeats(text: string, found: readonly Span[]): Span[] {
  const spans: Span[] = [];
  const kinds = new Map(found.map((f) => [text.slice(f.start, f.end), f.kind] as const));
  for (const [value, kind] of kinds) {
    for (let i = text.indexOf(value); i >= 0; i = text.indexOf(value, i + 1)) spans.push({ start: i, end: i + value.length, kind });
  }
  return spans;
}

function markedSpans(text: string, marked: readonly string[]): Span[] {
  if (marked.length === 0) return [];
  // The text without whitespace, folded, and where each of its units came from.
  const at: number[] = [];
  let folded = "";
  for (let i = 0; i < text.length; i++) {
    if (SPACE.test(text[i]!)) continue;
    at.push(i);
    folded += fold(text[i]!);
  }
  const spans: Span[] = [];
  for (const m of marked) {
    for (let i = folded.indexOf(m); i >= 0; i = folded.indexOf(m, i + 1)) {
      spans.push({ start: at[i]!, end: at[i + m.length - 1]! + 1, kind: "marked" });
    }
  }
  return spans;
}

// Recognised text misreads a digit now and then, and a misread check digit hides an identifier from
// the detector while the picture still shows it: in OCR text, any group of 8 or more digits goes too,
// its pieces joined across one space or dash (as numbers are printed) when each holds a digit.
const RUN = /[0-9A-Za-z]+/g;
const HAS_DIGIT = /\d/;
function ocrNumbers(text: string): Span[] {
  const spans: Span[] = [];
  let group: { start: number; end: number; digits: number } | null = null;
  const close = () => {
    if (group !== null && group.digits >= 8) spans.push({ start: group.start, end: group.end, kind: "ocr_number" });
    group = null;
  };
  for (const m of text.matchAll(RUN)) {
    const digits = m[0].match(/\d/g)?.length ?? 0;
    if (!HAS_DIGIT.test(m[0])) {
      close();
      continue;
    }
    const gap = group === null ? "" : text.slice(group.end, m.index);
    if (group !== null && (gap === " " || gap === "-")) {
      group.end = m.index + m[0].length;
      group.digits += digits;
    } else {
      close();
      group = { start: m.index, end: m.index + m[0].length, digits };
    }
  }
  close();
  return spans;
}

export function addCounts(into: RemovedCounts, from: RemovedCounts): RemovedCounts {
  for (const [k, n] of Object.entries(from) as [RedactionKind, number][]) into[k] = (into[k] ?? 0) + n;
  return into;
}
