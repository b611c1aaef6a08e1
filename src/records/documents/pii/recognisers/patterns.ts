/**
 * Recognisers that read the normalised text directly rather than joined digit runs: e-mail addresses,
 * Hong Kong and Macau identity cards (with their bracketed check digit), landlines with a bracketed
 * area code. Each regex is linear: a fixed-length body after a look-behind, no nested quantifiers.
 */
import { validateEmail } from "../../../clients/identifiers.js";
import { areaCodeLength, isHkId } from "../checks.js";
import type { Context, Hit } from "./candidate.js";

const LOCAL_CHAR = /[A-Za-z0-9._%+\-!#$&'*/=?^`{|}~]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

/** E-mail addresses: grown outwards from each "@" (no backtracking), then checked by the field validator. */
export function emails(text: string): Hit[] {
  const hits: Hit[] = [];
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= 253 && DOMAIN_CHAR.test(text[end]!)) end++;
    while (start < at && text[start] === ".") start++;
    while (end > at + 1 && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    if (start === at || end === at + 1) continue;
    if (validateEmail(text.slice(start, end)).ok) hits.push({ type: "email", start, end, confidence: "high", validated: false });
  }
  return hits;
}

const HK_ID = /(?<![0-9A-Za-z])([A-Z]{1,2})(\d{6})(?:\(([0-9A])\)|([0-9A]))(?![0-9A-Za-z])/g;

const HK_WORDS = /香港|身份证|身份證|HKID|identity/i;

/**
 * Hong Kong identity cards, A123456(3) or A1234563. The bracketed check digit is the printed form;
 * without it one letter-and-digits code in eleven passes the check (passport and permit numbers
 * have the same shape), so the bare form needs a context word.
 */
export function hongKongIds(text: string, ctx: Context): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(HK_ID)) {
    const check = m[3] ?? m[4]!;
    if (!isHkId(m[1]!, m[2]!, check)) continue;
    if (!m[3] && !HK_WORDS.test(ctx.before(m.index, 16))) continue;
    hits.push({ type: "hk_id", start: m.index, end: m.index + m[0].length, confidence: m[3] ? "high" : "medium", validated: true });
  }
  return hits;
}

const MACAU_ID = /(?<![0-9A-Za-z])[157]\/?\d{6}(?:\((\d)\)|\d)(?![0-9A-Za-z(])/g;
const MACAU_WORDS = /澳门|澳門|macau|macao/i;

/** Macau identity cards, 1234567(8): no published check digit, so by format and context. */
export function macauIds(text: string, ctx: Context): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(MACAU_ID)) {
    const context = MACAU_WORDS.test(ctx.before(m.index, 20));
    // Without the bracket the shape is any 8-digit number: only with a context word.
    if (!m[1] && !context) continue;
    hits.push({ type: "macau_id", start: m.index, end: m.index + m[0].length, confidence: context ? "medium" : "low", validated: false });
  }
  return hits;
}

const BRACKETED_LANDLINE = /\((0\d{2,3})\) ?(\d{3,4}[ -]?\d{4})(?![0-9A-Za-z])/g;

/** Landlines written (010)12345678 or (0755) 8765 4321: the bracketed area code marks a phone number. */
export function bracketedLandlines(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const m of text.matchAll(BRACKETED_LANDLINE)) {
    const area = m[1]!;
    const local = m[2]!.replace(/[ -]/, "");
    if (areaCodeLength(area + local) !== area.length || local.length < 7 || local[0] === "0" || local[0] === "1") continue;
    hits.push({ type: "landline", start: m.index, end: m.index + m[0].length, confidence: "medium", validated: false });
  }
  return hits;
}
