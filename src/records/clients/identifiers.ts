// Validation and normalisation of client identifiers (PRC resident ID, USCC,
// passports, phones, e-mail, birth dates). Pure functions, no I/O.
// Validators take untrusted input: they never throw and use only linear-time regexes.

export type IdentifierIssue = "format" | "check_digit" | "birth_date" | "region";
export type IdentifierCheck = { ok: true; value: string } | { ok: false; issue: IdentifierIssue };

const ok = (value: string): IdentifierCheck => ({ ok: true, value });
const fail = (issue: IdentifierIssue): IdentifierCheck => ({ ok: false, issue });

// Real county-level codes (GB/T 2260), one or more per province-level division.
// Used by the synthetic generator; validation itself only checks the first digit.
export const RESIDENT_ID_REGIONS: readonly string[] = Object.freeze([
  "110101",
  "110102",
  "110105",
  "110108", // Beijing: Dongcheng, Xicheng, Chaoyang, Haidian
  "120101",
  "120104", // Tianjin: Heping, Nankai
  "130102", // Shijiazhuang Chang'an
  "140105", // Taiyuan Xiaodian
  "150102", // Hohhot Xincheng
  "210102",
  "210202", // Shenyang Heping, Dalian Zhongshan
  "220102", // Changchun Nanguan
  "230103", // Harbin Nangang
  "310101",
  "310104",
  "310115", // Shanghai: Huangpu, Xuhui, Pudong
  "320102",
  "320505", // Nanjing Xuanwu, Suzhou Huqiu
  "330106",
  "330203", // Hangzhou Xihu, Ningbo Haishu
  "340104", // Hefei Shushan
  "350102",
  "350203", // Fuzhou Gulou, Xiamen Siming
  "360102", // Nanchang Donghu
  "370102",
  "370202", // Jinan Lixia, Qingdao Shinan
  "410105", // Zhengzhou Jinshui
  "420102",
  "420106", // Wuhan Jiang'an, Wuchang
  "430104", // Changsha Yuelu
  "440104",
  "440106",
  "440304",
  "440305", // Guangzhou Yuexiu, Tianhe; Shenzhen Futian, Nanshan
  "450103", // Nanning Qingxiu
  "460106", // Haikou Longhua
  "500103",
  "500112", // Chongqing Yuzhong, Yubei
  "510104",
  "510107", // Chengdu Jinjiang, Wuhou
  "520102", // Guiyang Nanming
  "530102", // Kunming Wuhua
  "540102", // Lhasa Chengguan
  "610113", // Xi'an Yanta
  "620102", // Lanzhou Chengguan
  "630102", // Xining Chengdong
  "640104", // Yinchuan Xingqing
  "650102", // Urumqi Tianshan
]);

// ---------------------------------------------------------------------------
// Dates

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeap(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

// Today as a comparable YYYYMMDD number, in UTC so results do not depend on the server's zone.
function todayUtc(): number {
  const d = new Date();
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

// A birth date must exist in the calendar and lie in 1900-01-01..today (UTC).
function isPlausibleBirthDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return false;
  return y * 10000 + m * 100 + d <= todayUtc();
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function validateBirthDate(raw: string): IdentifierCheck {
  if (typeof raw !== "string") return fail("format");
  const s = raw.trim();
  const m = ISO_DATE.exec(s);
  if (!m) return fail("format");
  return isPlausibleBirthDate(Number(m[1]), Number(m[2]), Number(m[3])) ? ok(s) : fail("birth_date");
}

// ---------------------------------------------------------------------------
// Resident ID (GB 11643), check character per ISO 7064 MOD 11-2

const RID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RID_CHECK = "10X98765432";
const RID_BODY = /^\d{17}$/;
const RID_FULL = /^\d{17}[\dX]$/;

export function residentIdCheckChar(first17: string): string {
  if (typeof first17 !== "string" || !RID_BODY.test(first17)) {
    throw new TypeError("residentIdCheckChar expects exactly 17 ASCII digits");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * RID_WEIGHTS[i]!;
  return RID_CHECK.charAt(sum % 11);
}

// Far longer than any identifier with its surrounding spaces: refused before any work on it.
const MAX_RAW_LENGTH = 64;

export function validateResidentId(raw: string): IdentifierCheck {
  if (typeof raw !== "string" || raw.length > MAX_RAW_LENGTH) return fail("format");
  // Only the 18-character form; legacy 15-digit numbers are rejected as "format".
  const s = raw.trim().toUpperCase();
  if (!RID_FULL.test(s)) return fail("format");
  // Region codes start with 1-8 (81/82/83 are HK/Macau/Taiwan residence permits).
  if (s[0] === "0" || s[0] === "9") return fail("region");
  // The check character alone accepts many impossible numbers, so the date is checked too.
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (!isPlausibleBirthDate(y, m, d)) return fail("birth_date");
  return residentIdCheckChar(s.slice(0, 17)) === s[17] ? ok(s) : fail("check_digit");
}

// ---------------------------------------------------------------------------
// Unified social credit code (GB 32100), check character mod 31

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"; // no I, O, S, V, Z
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]; // 3^i mod 31
const USCC_BODY = /^[0-9A-HJ-NP-RTUW-Y]{17}$/;
const USCC_FULL = /^[0-9A-HJ-NP-RTUW-Y]{18}$/;

export function usccCheckChar(first17: string): string {
  if (typeof first17 !== "string" || !USCC_BODY.test(first17)) {
    throw new TypeError("usccCheckChar expects 17 characters from the GB 32100 alphabet");
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(first17.charAt(i)) * USCC_WEIGHTS[i]!;
  return USCC_ALPHABET.charAt((31 - (sum % 31)) % 31);
}

export function validateUscc(raw: string): IdentifierCheck {
  if (typeof raw !== "string" || raw.length > MAX_RAW_LENGTH) return fail("format");
  const s = raw.trim().toUpperCase();
  if (!USCC_FULL.test(s)) return fail("format");
  return usccCheckChar(s.slice(0, 17)) === s[17] ? ok(s) : fail("check_digit");
}

// ---------------------------------------------------------------------------
// Passports

// PRC passports are "E" + 8 digits or "E" + letter + 7 digits, but both forms are
// a subset of the generic foreign rule below; without the issuing country we
// cannot reject an "E..." number as a malformed PRC passport.
const PASSPORT = /^[A-Z0-9]{5,20}$/;

export function validatePassport(raw: string): IdentifierCheck {
  if (typeof raw !== "string" || raw.length > 100) return fail("format");
  const s = raw.replace(/\s+/g, "").toUpperCase();
  return PASSPORT.test(s) ? ok(s) : fail("format");
}

// ---------------------------------------------------------------------------
// Phones

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{9,11}$/; // area code (3-4 digits incl. the 0) + 7-8 digit number
const E164 = /^\+[1-9]\d{6,14}$/;

export function validatePhone(raw: string): IdentifierCheck {
  if (typeof raw !== "string" || raw.length > 64) return fail("format");
  const s = raw.replace(/[\s-]+/g, "");

  // Anything with a China country code must be a mainland mobile.
  let national: string | undefined;
  if (s.startsWith("+86")) national = s.slice(3);
  else if (s.startsWith("0086")) national = s.slice(4);
  else if (s.startsWith("86") && s.length === 13) national = s.slice(2);
  if (national !== undefined) return MOBILE.test(national) ? ok(national) : fail("format");

  if (s.startsWith("+")) return E164.test(s) ? ok(s) : fail("format");
  if (MOBILE.test(s)) return ok(s);

  if (LANDLINE.test(s)) {
    const areaLen = areaCodeLength(s);
    const local = s.slice(areaLen);
    if (areaLen > 0 && local.length >= 7 && local.length <= 8) return ok(`${s.slice(0, areaLen)}-${local}`);
  }
  return fail("format");
}

// Separators are optional, so the area code is split off by the real numbering plan:
// 010 and 020-029 are the only 3-digit codes, 03xx-09xx have 4 digits. 0 = invalid.
function areaCodeLength(digits: string): number {
  if (digits[1] === "2" || (digits[1] === "1" && digits[2] === "0")) return 3;
  if (digits[1] === "0" || digits[1] === "1") return 0;
  return 4;
}

// ---------------------------------------------------------------------------
// E-mail: practical rule (dot-atom local part, LDH domain labels, alphabetic or
// punycode TLD). Parts are checked separately so no regex can backtrack badly.

const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const EMAIL_TLD = /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59})$/;

export function validateEmail(raw: string): IdentifierCheck {
  // 254 characters at most once trimmed; refused before trimming when far longer.
  if (typeof raw !== "string" || raw.length > 4 * 254) return fail("format");
  const s = raw.trim();
  if (s.length > 254) return fail("format");
  const at = s.indexOf("@");
  if (at < 1 || at !== s.lastIndexOf("@")) return fail("format");
  const local = s.slice(0, at);
  const domain = s.slice(at + 1).toLowerCase();
  if (local.length > 64 || !EMAIL_LOCAL.test(local)) return fail("format");
  const labels = domain.split(".");
  const tld = labels[labels.length - 1];
  if (labels.length < 2 || tld === undefined || !EMAIL_TLD.test(tld)) return fail("format");
  if (!labels.every((l) => EMAIL_LABEL.test(l))) return fail("format");
  return ok(`${local}@${domain}`);
}

// ---------------------------------------------------------------------------
// Bank cards (ISO/IEC 7812): 13-19 digits with a Luhn check digit. No client field holds
// one; free text is scanned for them (free-text-identifiers.ts).

const BANK_CARD = /^\d{13,19}$/;

/** The Luhn (mod 10) check over a string of ASCII digits, check digit last. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (d < 0 || d > 9) return false;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function validateBankCard(raw: string): IdentifierCheck {
  if (typeof raw !== "string" || raw.length > 64) return fail("format");
  const s = raw.replace(/[\s-]+/g, "");
  if (!BANK_CARD.test(s)) return fail("format");
  return luhnValid(s) ? ok(s) : fail("check_digit");
}
