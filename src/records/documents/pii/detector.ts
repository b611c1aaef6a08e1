/**
 * The PII detector for Chinese (and mixed) text: identifiers validated by their algorithms, names and
 * addresses by context. Pure, synchronous, linear in the text; no I/O, and the values never leave it:
 * findings carry the type, the span in the text as given and a confidence.
 *
 * Normalisation (normalise.ts): full-width forms read as ASCII, invisible format characters are
 * ignored. Joining: adjacent alphanumeric runs may form one identifier across one or two spaces or a
 * dash (as people group digits, or a table cell holds them), and across a single line break with its
 * indentation (a wrapped line or cell); every piece must hold a digit, so words never join. Checksummed identifiers (resident ID, permits, credit code)
 * accept any such split; bank cards and phones only their printed groupings (4-4-4-4, 3-4-4) or line
 * breaks. A run is never split, so a number inside a longer number is never reported.
 *
 * Overlaps: each character belongs to at most one finding; the best reading wins by confidence, one
 * level more for a check digit and one less for a join across a line break (see `score`), then a
 * validated finding, one within a line, the longer span, the type listed first in PII_TYPES.
 */
import { isUscc } from "./checks.js";
import { normalise, toOriginal } from "./normalise.js";
import type { Candidate, Context, Gap, Hit } from "./recognisers/candidate.js";
import { addresses, names } from "./recognisers/labelled.js";
import { type Plausibility, NUMBER_RECOGNISERS } from "./recognisers/numbers.js";
import { bracketedLandlines, emails, hongKongIds, macauIds } from "./recognisers/patterns.js";
import { type Confidence, PII_TYPES, type PiiFinding, type PiiScan, type PiiSummary, type PiiType } from "./types.js";

export interface DetectOptions {
  /**
   * "issued" (default): cards need 16-19 digits and an issuer prefix (3, 4, 5, 6, 9), credit codes a
   * plausible authority and type code. "checksum-only": whatever passes the check is reported (13-19
   * digit cards too), the stricter rule for text that is refused when it holds one.
   */
  plausibility?: Plausibility;
}

const RUN = /[0-9A-Za-z]+/g;
const GLUED_LABEL = /^([A-Za-z]{2,})([0-9][0-9A-Za-z]{10,})$/;
const DIGIT = /\d/;
const WRAP = /^[ \t]*\r?\n[ \t]*$/;
const MAX_RUNS = 6;
const MAX_JOINED = 19;

function gapBetween(text: string, from: number, to: number): Gap | null {
  const n = to - from;
  if (n === 1) {
    const c = text[from];
    if (c === " " || c === "-") return "space";
    if (c === "\n") return "wrap";
    return null;
  }
  if (n === 2 && text[from] === " " && text[from + 1] === " ") return "space";
  return n <= 12 && WRAP.test(text.slice(from, to)) ? "wrap" : null;
}

function numberHits(text: string, ctx: Context, rule: Plausibility): Hit[] {
  const runs: { start: number; end: number; text: string; digit: boolean }[] = [];
  RUN.lastIndex = 0;
  const push = (start: number, value: string) =>
    runs.push({ start, end: start + value.length, text: value.toUpperCase(), digit: DIGIT.test(value) || value === "X" || value === "x" });
  for (let m = RUN.exec(text); m !== null; m = RUN.exec(text)) {
    // A label glued to a long number ("Tel13800138000", "ID11010519491231002X") is two runs: no
    // identifier but a credit code starts with two letters and then eleven or more characters.
    const glued = isUscc(m[0].toUpperCase()) ? null : GLUED_LABEL.exec(m[0]); // a credit code may start with letters
    if (glued) {
      push(m.index, glued[1]!);
      push(m.index + glued[1]!.length, glued[2]!);
    } else push(m.index, m[0]);
  }
  const hits: Hit[] = [];
  for (let i = 0; i < runs.length; i++) {
    let joined = "";
    const parts: number[] = [];
    const gaps: Gap[] = [];
    for (let j = i; j < runs.length && j < i + MAX_RUNS; j++) {
      const run = runs[j]!;
      if (j > i) {
        const gap = gapBetween(text, runs[j - 1]!.end, run.start);
        // Words never join a number: only runs holding a digit (or a lone check character X) are pieces of one.
        if (gap === null || !run.digit || !runs[i]!.digit) break;
        gaps.push(gap);
      }
      joined += run.text;
      parts.push(run.text.length);
      if (joined.length > MAX_JOINED) break;
      if (joined.length < 8) continue;
      const candidate: Candidate = { text: joined, parts: [...parts], gaps: [...gaps], start: runs[i]!.start, end: run.end };
      const wrapped = gaps.includes("wrap");
      for (const r of NUMBER_RECOGNISERS) {
        const hit = r.test(candidate, ctx, rule);
        if (hit) hits.push(wrapped ? { ...hit, wrapped } : hit);
      }
    }
  }
  return hits;
}

const RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const ORDER = new Map<PiiType, number>(PII_TYPES.map((t, i) => [t, i]));
// A check digit adds a level, a line-break join costs one: a wrapped resident ID beats an unchecked
// mobile number inside it, a card on one line beats a credit code completed by the next line's digits.
const score = (h: Hit) => RANK[h.confidence] + (h.validated ? 1 : 0) - (h.wrapped ? 1 : 0);
const beats = (a: Hit, b: Hit) =>
  score(a) - score(b) ||
  Number(a.validated) - Number(b.validated) ||
  Number(!a.wrapped) - Number(!b.wrapped) ||
  a.end - a.start - (b.end - b.start) ||
  ORDER.get(b.type)! - ORDER.get(a.type)!;

// Among overlapping hits, keep the best of each cluster greedily; hits in different clusters never touch.
function resolve(hits: Hit[]): Hit[] {
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Hit[] = [];
  for (let i = 0; i < hits.length; ) {
    let clusterEnd = hits[i]!.end;
    let j = i + 1;
    while (j < hits.length && hits[j]!.start < clusterEnd) clusterEnd = Math.max(clusterEnd, hits[j++]!.end);
    const cluster = hits.slice(i, j).sort((a, b) => beats(b, a));
    const chosen: Hit[] = [];
    for (const h of cluster) if (!chosen.some((c) => h.start < c.end && c.start < h.end)) chosen.push(h);
    kept.push(...chosen.sort((a, b) => a.start - b.start));
    i = j;
  }
  return kept;
}

// Context words count only within the same clause: a label in the previous sentence, line or table
// cell says nothing about this number.
const CLAUSE_END = new Set([..."，,。；;\n\r|\t"]);
function clause(s: string, offset: number, n: number): string {
  let from = offset;
  while (from > 0 && offset - from < n && !CLAUSE_END.has(s[from - 1]!)) from--;
  return s.slice(from, offset);
}

/** Findings in `text` (offsets into it as given) and a count per type. Never throws on any string. */
export function detectPii(text: string, options: DetectOptions = {}): PiiScan {
  const norm = normalise(text);
  const s = norm.text;
  const ctx: Context = {
    before: (offset, n) => clause(s, offset, n),
    charAt: (offset) => (offset >= 0 && offset < s.length ? s[offset]! : ""),
  };
  const hits = [
    ...numberHits(s, ctx, options.plausibility ?? "issued"),
    ...emails(s),
    ...hongKongIds(s, ctx),
    ...macauIds(s, ctx),
    ...bracketedLandlines(s),
    ...names(s),
    ...addresses(s),
  ];
  const findings: PiiFinding[] = resolve(hits).map((h) => {
    const [start, end] = toOriginal(norm, h.start, h.end);
    return { type: h.type, start, end, confidence: h.confidence, validated: h.validated };
  });
  return { findings, summary: summarise(findings) };
}

export function summarise(findings: readonly PiiFinding[]): PiiSummary {
  const summary: PiiSummary = {};
  for (const f of findings) {
    const entry = (summary[f.type] ??= { count: 0, high: 0, medium: 0, low: 0 });
    entry.count++;
    entry[f.confidence]++;
  }
  return summary;
}
