/**
 * Detection runs on a normalised copy of the text: full-width ASCII (digits, letters, punctuation) and
 * the ideographic space become ASCII, hyphen look-alikes become "-", and invisible format characters
 * (zero-width spaces and joiners, soft hyphen, BOM, bidi marks) are dropped, as a reader would ignore
 * them. Every change maps one UTF-16 unit to at most one, so `toOriginal` turns any normalised offset
 * back into an offset of the text as given.
 */

// Dropped: soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and bidi controls, BOM.
const DROPPED = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/;
const CHANGED = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFF01-\uFF5E\u3000\u2010-\u2013]/;

export interface NormalisedText {
  readonly text: string;
  /** Original offset of each normalised UTF-16 unit; null when nothing changed (identity). */
  readonly origin: Int32Array | null;
  readonly originalLength: number;
}

export function normalise(original: string): NormalisedText {
  // Most documents need no change: skip the copy.
  if (!CHANGED.test(original)) return { text: original, origin: null, originalLength: original.length };
  const units: number[] = [];
  const origin = new Int32Array(original.length);
  let n = 0;
  for (let i = 0; i < original.length; i++) {
    let c = original.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
    else if (c === 0x3000) c = 0x20;
    else if (c >= 0x2010 && c <= 0x2013) c = 0x2d;
    else if (DROPPED.test(original[i]!)) continue;
    units.push(c);
    origin[n++] = i;
  }
  let text = "";
  for (let i = 0; i < units.length; i += 8192) text += String.fromCharCode(...units.slice(i, i + 8192));
  return { text, origin: origin.subarray(0, n), originalLength: original.length };
}

/** The original span of normalised [start, end): from the first unit's origin to just after the last one's. */
export function toOriginal(norm: NormalisedText, start: number, end: number): [number, number] {
  if (norm.origin === null) return [start, end];
  return [norm.origin[start]!, norm.origin[end - 1]! + 1];
}
