/**
 * Validation of identifier candidates (REGULATIONS.md "Identifiers"). The check-character algorithms
 * are the ones the client fields use (clients/identifiers.ts); the rest is what detection adds: region
 * plausibility, a real birth date, Hong Kong and Taiwan check digits. Inputs are upper-case ASCII.
 */
import { luhnValid, residentIdCheckChar, usccCheckChar } from "../../clients/identifiers.js";

export { luhnValid };

// Province-level codes of GB/T 2260 (first two digits of a resident ID's region).
const PROVINCES = new Set([11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65]);

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => (m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31);
const num = (s: string, from: number, to: number) => Number(s.slice(from, to));

let today = 0;
let todayAt = 0;
// Today as YYYYMMDD in UTC, recomputed at most once a minute (the detector calls this per candidate).
function todayUtc(): number {
  const ms = Date.now();
  if (ms - todayAt > 60_000) {
    const d = new Date(ms);
    today = d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
    todayAt = ms;
  }
  return today;
}

/** A date that exists, from 1900-01-01 to today. */
export function isBirthDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m)) return false;
  return y * 10000 + m * 100 + d <= todayUtc();
}

const DIGITS17 = /^\d{17}[\dX]$/;

/** 18-character resident ID: province-level region, real date, MOD 11-2 check. */
export function isResidentId(s: string): boolean {
  if (!DIGITS17.test(s) || !PROVINCES.has(num(s, 0, 2))) return false;
  return isBirthDate(num(s, 6, 10), num(s, 10, 12), num(s, 12, 14)) && residentIdCheckChar(s.slice(0, 17)) === s[17];
}

/** Residence permit for Hong Kong, Macau or Taiwan residents: region 810000/820000/830000, same algorithm. */
export function isResidencePermit(s: string): boolean {
  if (!DIGITS17.test(s) || !/^8[123]0000/.test(s)) return false;
  return isBirthDate(num(s, 6, 10), num(s, 10, 12), num(s, 12, 14)) && residentIdCheckChar(s.slice(0, 17)) === s[17];
}

/** Old 15-digit resident ID: region + YYMMDD (19YY) + sequence, no check character. */
export function isOldResidentId(s: string): boolean {
  if (!/^\d{15}$/.test(s) || !PROVINCES.has(num(s, 0, 2))) return false;
  return isBirthDate(1900 + num(s, 6, 8), num(s, 8, 10), num(s, 10, 12));
}

const USCC18 = /^[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}$/;

/** Unified social credit code: GB 32100 layout (digits in the region positions 3-8) and mod-31 check. */
export function isUscc(s: string): boolean {
  return USCC18.test(s) && usccCheckChar(s.slice(0, 17)) === s[17];
}

/** Hong Kong identity card: 1-2 letters, 6 digits, check (0-9 or A) by weighted mod 11. */
export function isHkId(letters: string, digits: string, check: string): boolean {
  // A single-letter ID is weighted as if led by a space (value 36).
  const values = letters.length === 1 ? [36, letters.charCodeAt(0) - 55] : [letters.charCodeAt(0) - 55, letters.charCodeAt(1) - 55];
  let sum = values[0]! * 9 + values[1]! * 8;
  for (let i = 0; i < 6; i++) sum += (digits.charCodeAt(i) - 48) * (7 - i);
  const expected = (11 - (sum % 11)) % 11;
  return check === (expected === 10 ? "A" : String(expected));
}

// Taiwan's letter values (A=10 … with I, O, W, Z out of sequence).
const TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO";

/** Taiwan ID `[A-Z][12]\d{8}` or new resident certificate `[A-Z][89]\d{8}`: letter value + weighted digits, mod 10. */
export function isTaiwanId(s: string): boolean {
  if (!/^[A-Z][1289]\d{8}$/.test(s)) return false;
  const v = TW_LETTERS.indexOf(s[0]!) + 10;
  let sum = Math.floor(v / 10) + (v % 10) * 9;
  for (let i = 1; i < 9; i++) sum += (s.charCodeAt(i) - 48) * (9 - i);
  sum += s.charCodeAt(9) - 48;
  return sum % 10 === 0;
}

/** Mainland area code length by the numbering plan: 010 and 02x have 3 digits, 03xx-09xx 4; 0 = none. */
export function areaCodeLength(digits: string): number {
  if (digits[0] !== "0") return 0;
  if (digits[1] === "2" || (digits[1] === "1" && digits[2] === "0")) return 3;
  if (digits[1] === "0" || digits[1] === "1") return 0;
  return 4;
}
