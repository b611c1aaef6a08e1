/**
 * The shape the numeric recognisers see: one or more adjacent alphanumeric runs of the normalised
 * text, joined. Runs are never split, so a digit run inside a longer number is never a candidate;
 * runs are joined only across a soft gap (one or two spaces, or a dash, as people group digits) or a
 * wrap (one line break with its indentation, where a line or table cell was broken).
 */
import type { Confidence, PiiType } from "../types.js";

export type Gap = "space" | "wrap";

export interface Candidate {
  /** The joined runs, upper-case. */
  readonly text: string;
  /** Lengths of the runs. */
  readonly parts: readonly number[];
  /** The gaps between the runs (parts.length - 1). */
  readonly gaps: readonly Gap[];
  /** Offsets into the normalised text. */
  readonly start: number;
  readonly end: number;
}

export interface Context {
  /** Up to `n` characters of normalised text before `offset`. */
  before(offset: number, n: number): string;
  charAt(offset: number): string;
}

export interface Hit {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly confidence: Confidence;
  readonly validated: boolean;
  /** Joined across a line break: weaker than a reading that keeps to one line. */
  readonly wrapped?: boolean;
}

/** True when the runs are one, broken only by line wraps, or grouped exactly as one of `groupings`. */
export function groupedAs(c: Candidate, groupings: readonly (readonly number[])[]): boolean {
  if (c.parts.length === 1 || c.gaps.every((g) => g === "wrap")) return true;
  return groupings.some((g) => g.length === c.parts.length && g.every((n, i) => n === c.parts[i]));
}

/** Grouped in fours with a shorter last group (4-4-4-4-3), as cards are printed. */
export function inFours(c: Candidate): boolean {
  const last = c.parts.length - 1;
  return c.parts.length >= 3 && c.parts.every((n, i) => (i < last ? n === 4 : n >= 1 && n <= 4));
}
