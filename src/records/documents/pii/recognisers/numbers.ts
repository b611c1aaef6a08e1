/**
 * Recognisers for identifiers made of digits and capital letters. Checksum-bearing ones (resident
 * ID, residence permit, credit code, bank card, Taiwan ID) need no context; the others need a context
 * word within a few characters before them (Presidio's model: pattern + validation + context).
 */
import { areaCodeLength, isOldResidentId, isResidencePermit, isResidentId, isTaiwanId, isUscc, luhnValid } from "../checks.js";
import { type Candidate, type Context, groupedAs, type Hit, inFours } from "./candidate.js";

/**
 * "issued": a card needs 16-19 digits and an issuer prefix, a credit code a registration-authority and
 * type code; "checksum-only": any 13-19 digit Luhn number, any code passing GB 32100 (free text).
 */
export type Plausibility = "issued" | "checksum-only";

export interface NumberRecogniser {
  readonly name: string;
  test(c: Candidate, ctx: Context, rule: Plausibility): Hit | null;
}

const DIGITS = /^\d+$/;
const near = (ctx: Context, c: Candidate, words: RegExp, n = 16) => words.test(ctx.before(c.start, n));

const ID_WORDS = /身份证|证号|证件号|公民身份|身份号码|ID/i;
const CARD_WORDS = /卡|账号|帐号|账户|开户|card/i;
const PHONE_WORDS = /电话|手机|联系|致电|来电|号码|微信|tel|mobile|phone|cell/i;
const LANDLINE_WORDS = /电话|座机|固话|传真|办公|总机|联系|tel|fax|phone/i;

// Cards are printed in fours, IDs are not: an 18-digit ID grouped 4-4-4-4-2 that also passes Luhn is read as the card.
const printed = (c: Candidate) => (inFours(c) && c.parts.length >= 4 ? "medium" : "high");

const residentId: NumberRecogniser = {
  name: "resident_id",
  test(c, ctx) {
    if (c.text.length === 18 && isResidentId(c.text)) return { type: "resident_id", start: c.start, end: c.end, confidence: printed(c), validated: true };
    // Old 15-digit IDs carry no check character: only region and date, so a context word is required.
    if (c.text.length === 15 && isOldResidentId(c.text) && near(ctx, c, ID_WORDS))
      return { type: "resident_id", start: c.start, end: c.end, confidence: "medium", validated: false };
    return null;
  },
};

const residencePermit: NumberRecogniser = {
  name: "residence_permit",
  test: (c) =>
    c.text.length === 18 && isResidencePermit(c.text)
      ? { type: "residence_permit", start: c.start, end: c.end, confidence: printed(c), validated: true }
      : null,
};

// Registration authority and type codes in use (91 company, 92 sole trader, 93 co-operative, 1x public
// bodies, 5x social organisations, Y1 other …) and a province-level region: most all-digit card or
// order numbers that happen to pass the mod-31 check fail this.
const USCC_HEAD = /^(?:[1-9][1239]|[ANY]1)(?:1[0-5]|2[1-3]|3[1-7]|4[1-6]|5[0-4]|6[1-5])/;
// Nor is a credit code printed in fours or introduced as a card or account number.
const plausibleUscc = (c: Candidate, ctx: Context) => USCC_HEAD.test(c.text) && !inFours(c) && !near(ctx, c, CARD_WORDS);
const uscc: NumberRecogniser = {
  name: "uscc",
  test: (c, ctx, rule) =>
    c.text.length === 18 && (rule === "checksum-only" || plausibleUscc(c, ctx)) && isUscc(c.text)
      ? { type: "uscc", start: c.start, end: c.end, confidence: "high", validated: true }
      : null,
};

const taiwanId: NumberRecogniser = {
  name: "taiwan_id",
  test: (c) =>
    c.text.length === 10 && c.parts.length === 1 && isTaiwanId(c.text)
      ? { type: "taiwan_id", start: c.start, end: c.end, confidence: "high", validated: true }
      : null,
};

// Issuer prefixes (ISO/IEC 7812 major industry): 3 JCB/Amex, 4 Visa, 5 Mastercard, 6 UnionPay/Discover,
// 9 older Chinese domestic debit cards. Order and reference numbers (often date-led) fall outside.
const ISSUED = /^[34569]/;

const bankCard: NumberRecogniser = {
  name: "bank_card",
  test(c, ctx, rule) {
    const n = c.text.length;
    const min = rule === "checksum-only" ? 13 : 16;
    if (n < min || n > 19 || !DIGITS.test(c.text)) return null;
    if (!(c.parts.length === 1 || c.gaps.every((g) => g === "wrap") || inFours(c) || (c.parts.length === 2 && c.parts[0] === 6))) return null;
    if (rule === "issued" && !ISSUED.test(c.text)) return null;
    if (luhnValid(c.text)) return { type: "bank_card", start: c.start, end: c.end, confidence: n >= 16 ? "high" : "low", validated: true };
    // Some UnionPay cards fail Luhn (REGULATIONS.md): reported, lower, only where the text says it is a card.
    if (n >= 16 && c.text.startsWith("62") && near(ctx, c, CARD_WORDS))
      return { type: "bank_card", start: c.start, end: c.end, confidence: "low", validated: false };
    return null;
  },
};

const MOBILE = /^1[3-9]\d{9}$/;
const MOBILE_GROUPS = [
  [3, 4, 4],
  [3, 8],
  [7, 4],
] as const;

const mobile: NumberRecogniser = {
  name: "mobile",
  test(c, ctx) {
    const n = c.text.length;
    if (n !== 11 && n !== 13 && n !== 15) return null;
    const prefix = n === 15 && c.text.startsWith("0086") ? 4 : n === 13 && c.text.startsWith("86") ? 2 : n === 11 ? 0 : -1;
    if (prefix < 0 || !MOBILE.test(c.text.slice(prefix))) return null;
    // The national number's grouping, with the country code as its own run or glued to the first group.
    let parts = c.parts;
    let gaps = c.gaps;
    if (prefix > 0 && parts[0] === prefix) {
      parts = parts.slice(1);
      gaps = gaps.slice(1);
    } else if (prefix > 0) parts = [parts[0]! - prefix, ...parts.slice(1)];
    if (!groupedAs({ ...c, parts, gaps }, MOBILE_GROUPS)) return null;
    let start = c.start;
    if (ctx.charAt(start - 1) === "+") {
      // "+1 380…" is a North American number; only "+86" leads a mainland mobile.
      if (prefix !== 2) return null;
      start -= 1;
    }
    const confidence = prefix > 0 || near(ctx, c, PHONE_WORDS, 12) ? "high" : "medium";
    return { type: "mobile", start, end: c.end, confidence, validated: false };
  },
};

const landline: NumberRecogniser = {
  name: "landline",
  test(c, ctx) {
    const n = c.text.length;
    if (n < 10 || n > 12 || !DIGITS.test(c.text)) return null;
    const area = areaCodeLength(c.text);
    const local = c.text.slice(area);
    if (area === 0 || local.length < 7 || local.length > 8 || local[0] === "0" || local[0] === "1") return null;
    const separated =
      c.parts.length > 1 &&
      c.parts[0] === area &&
      c.gaps[0] === "space" &&
      (c.parts.length === 2 ||
        (c.parts.length === 3 && c.parts[1] === 4 && c.parts[2] === 4) ||
        (c.parts.length === 3 && c.parts[1] === 3 && c.parts[2] === 4));
    const context = near(ctx, c, LANDLINE_WORDS, 12);
    // A bare run of digits starting with 0 is a phone number only where the text says so.
    if (!separated && !(context && (c.parts.length === 1 || c.gaps.every((g) => g === "wrap")))) return null;
    return { type: "landline", start: c.start, end: c.end, confidence: context ? "medium" : "low", validated: false };
  },
};

const single = (c: Candidate) => c.parts.length === 1 || c.gaps.every((g) => g === "wrap");

const PASSPORT = /^(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|[GDSP]\d{8})$/;
const passport: NumberRecogniser = {
  name: "passport",
  test: (c, ctx) =>
    single(c) && PASSPORT.test(c.text) && near(ctx, c, /护照|passport/i, 20)
      ? { type: "passport", start: c.start, end: c.end, confidence: "medium", validated: false }
      : null,
};

const HOME_RETURN = /^[HM]\d{8}(?:\d{2})?$/;
const hkMacauTravelPermit: NumberRecogniser = {
  name: "hk_macau_travel_permit",
  test(c, ctx) {
    if (!single(c) || !HOME_RETURN.test(c.text)) return null;
    const confidence = near(ctx, c, /回乡证|通行证|港澳居民|來往內地/, 20) ? "medium" : "low";
    return { type: "hk_macau_travel_permit", start: c.start, end: c.end, confidence, validated: false };
  },
};

const EXIT_ENTRY = /^(?:[CWL]\d{8}|C[A-HJ-NP-Z]\d{7})$/;
const exitEntryPermit: NumberRecogniser = {
  name: "exit_entry_permit",
  test: (c, ctx) =>
    single(c) && EXIT_ENTRY.test(c.text) && near(ctx, c, /往来港澳通行证|往来台湾通行证|港澳通行证|赴台|通行证/, 20)
      ? { type: "exit_entry_permit", start: c.start, end: c.end, confidence: "medium", validated: false }
      : null,
};

const taiwanTravelPermit: NumberRecogniser = {
  name: "taiwan_travel_permit",
  test: (c, ctx) =>
    single(c) && c.text.length === 8 && DIGITS.test(c.text) && near(ctx, c, /台胞证|台湾居民来往大陆通行证|来往大陆通行证/, 24)
      ? { type: "taiwan_travel_permit", start: c.start, end: c.end, confidence: "medium", validated: false }
      : null,
};

/** Every numeric recogniser; overlaps between their hits are settled in detector.ts. */
export const NUMBER_RECOGNISERS: readonly NumberRecogniser[] = [
  residentId,
  residencePermit,
  uscc,
  taiwanId,
  bankCard,
  mobile,
  landline,
  passport,
  hkMacauTravelPermit,
  exitEntryPermit,
  taiwanTravelPermit,
];
