/**
 * Redaction of text held in pieces: the runs of a Word paragraph, the runs of a rich-text cell, a
 * cell after its label. The pieces are joined for detection, so a value Word split across runs with
 * different formatting is still found, and each span is cut out of every piece it touches; the mark
 * goes into the first. Fixed pieces (line breaks, tabs, a neighbouring label given as context) are
 * read but never changed.
 */
import { RedactionError } from "./errors.js";
import { findSpans, type RedactionPolicy, type RemovedCounts, type Span } from "./policy.js";

export interface Piece {
  readonly text: string;
  readonly fixed?: boolean;
}

export interface PiecesResult {
  /** The new text of every piece (fixed ones unchanged). */
  readonly texts: string[];
  readonly removed: RemovedCounts;
  readonly changed: boolean;
}

// Removing a value can bring neighbours together into a new reading (a label now next to a number):
// detection runs again on the result until nothing is left. The mark holds nothing the detector
// reports (redactionPolicy checks), so two or three passes settle any text.
const MAX_PASSES = 5;

export function redactPieces(pieces: readonly Piece[], policy: RedactionPolicy, opts: { ocr?: boolean } = {}): PiecesResult {
  let texts = pieces.map((p) => p.text);
  const removed: RemovedCounts = {};
  let changed = false;
  for (let pass = 0; ; pass++) {
    const starts: number[] = [];
    let at = 0;
    for (const t of texts) {
      starts.push(at);
      at += t.length;
    }
    const editable = (s: Span) => texts.some((t, i) => !pieces[i]!.fixed && starts[i]! < s.end && s.start < starts[i]! + t.length);
    const spans = findSpans(texts.join(""), policy, opts).filter(editable);
    if (spans.length === 0) return { texts, removed, changed };
    if (pass === MAX_PASSES) throw new RedactionError("redaction_incomplete");
    for (const s of spans) removed[s.kind] = (removed[s.kind] ?? 0) + 1;
    texts = cut(texts, pieces, starts, merge(spans), policy.replacement);
    changed = true;
  }
}

/** Overlapping spans as one; touching ones stay apart (one mark per value). */
export function merge(spans: readonly Span[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last !== undefined && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

function cut(texts: string[], pieces: readonly Piece[], starts: number[], spans: { start: number; end: number }[], mark: string): string[] {
  const cuts: { from: number; to: number; mark: boolean }[][] = texts.map(() => []);
  for (const s of spans) {
    let marked = false;
    texts.forEach((t, i) => {
      if (pieces[i]!.fixed) return;
      const from = Math.max(s.start, starts[i]!) - starts[i]!;
      const to = Math.min(s.end, starts[i]! + t.length) - starts[i]!;
      if (from >= to) return;
      cuts[i]!.push({ from, to, mark: !marked });
      marked = true;
    });
  }
  // Cuts are in order and apart (spans were merged): one pass, linear in the piece's length.
  return texts.map((t, i) => {
    const parts: string[] = [];
    let at = 0;
    for (const c of cuts[i]!) {
      parts.push(t.slice(at, c.from), c.mark ? mark : "");
      at = c.to;
    }
    parts.push(t.slice(at));
    return parts.join("");
  });
}
