import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freeTextIssues, identifiersIn, type FreeTextIdentifierKind } from "./free-text-identifiers.js";
import { luhnValid, RESIDENT_ID_REGIONS, residentIdCheckChar, usccCheckChar, validateBankCard, validateResidentId, validateUscc } from "./identifiers.js";
import { GROWTH_FACTOR, growthRatio } from "../../../test/support/growth.js";

const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const pad = (n: number, width: number) => String(n).padStart(width, "0");
const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
const luhnCheckDigit = (body: string) => [..."0123456789"].find((d) => luhnValid(body + d))!;

// Filler: Chinese and ASCII text, digits included (the identifier must still stand out), and the
// same without any digit, which can hold no identifier of its own (for the look-alike properties).
const CJK = [..."客户咨询劳动合同纠纷电话身份证号码银行卡统一社会信用代码备注已提交材料下周面谈"];
const PUNCT = [..."，。：；（）、！？ "];
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
const filler = fc.string({ unit: fc.constantFrom(...CJK, ...PUNCT, ...ASCII), maxLength: 40 });
const quietFiller = fc.string({
  unit: fc.constantFrom(...CJK, ...PUNCT, ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,;:!?()[]'\""),
  maxLength: 40,
});
// What stands between the identifier and the text around it: never a digit, letter, space, dash or +.
const boundary = fc.constantFrom("，", "。", "：", "；", "（", "）", "\n", "、", ":", ",", ".", "(", ")", "号", "是");
const embed = (text: fc.Arbitrary<string>, id: fc.Arbitrary<string>) =>
  fc.tuple(text, boundary, id, boundary, text).map(([before, left, value, right, after]) => ({ value, text: `${before}${left}${value}${right}${after}` }));

const group = (s: string, sizes: number[], sep: string) => {
  const parts: string[] = [];
  let at = 0;
  for (const size of sizes) {
    parts.push(s.slice(at, at + size));
    at += size;
  }
  if (at < s.length) parts.push(s.slice(at));
  return parts.filter(Boolean).join(sep);
};

const residentId = fc
  .tuple(
    fc.constantFrom(...RESIDENT_ID_REGIONS),
    fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date(), noInvalidDate: true }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([region, d, seq]) => `${region}${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(seq, 3)}`)
  .map((body) => body + residentIdCheckChar(body));
const residentIdAsTyped = fc
  .tuple(residentId, fc.constantFrom("plain", "lower", "grouped"), fc.constantFrom(" ", "-"))
  .map(([id, style, sep]) => (style === "lower" ? id.toLowerCase() : style === "grouped" ? group(id, [6, 8, 4], sep) : id));

// Real layout: authority and type, a six-digit region code, a nine-character organisation code.
const uscc = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 2, maxLength: 2 }),
    digits(6, 6),
    fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 9, maxLength: 9 }),
  )
  .map(([head, region, org]) => head + region + org)
  .map((body) => body + usccCheckChar(body))
  // An all-digit code that is also a valid resident ID is reported as the resident ID.
  .filter((code) => !validateResidentId(code).ok);

const mobile = fc
  .tuple(fc.integer({ min: 3, max: 9 }), digits(9, 9), fc.constantFrom("", "+86", "+86 ", "0086 ", "86"), fc.constantFrom("", " ", "-"))
  .map(([second, rest, prefix, sep]) => `${prefix}${group(`1${second}${rest}`, [3, 4, 4], sep)}`);

const bankCard = fc
  .tuple(fc.integer({ min: 13, max: 19 }), digits(19, 19), fc.constantFrom("", " ", "-"))
  .map(([length, raw, sep]) => {
    const body = raw.slice(0, length - 1);
    const card = body + luhnCheckDigit(body);
    return { card, typed: sep ? group(card, [4, 4, 4, 4], sep) : card };
  })
  // An 18-digit number may also be a valid resident ID or credit code, which win the span.
  .filter(({ card }) => !validateResidentId(card).ok && !validateUscc(card).ok)
  .map(({ typed }) => typed);

describe("identifiersIn: valid identifiers in arbitrary text are found", () => {
  const finds = (kind: FreeTextIdentifierKind, id: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(embed(filler, id), ({ text }) => {
        expect(identifiersIn(text)).toContain(kind);
      }),
      { numRuns: 300 },
    );
  it("resident IDs with a valid check character, as typed (x, grouped 6-8-4)", () => finds("resident_id", residentIdAsTyped));
  it("unified social credit codes (GB 32100)", () => finds("uscc", uscc));
  it("mainland mobile numbers, with or without +86 and grouping", () => finds("mobile", mobile));
  it("bank cards of 13-19 digits passing Luhn, grouped in fours or not", () => finds("bank_card", bankCard));
});

describe("identifiersIn: look-alikes are not found", () => {
  const findsNothing = (lookAlike: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(embed(quietFiller, lookAlike), ({ text }) => {
        expect(identifiersIn(text)).toEqual([]);
      }),
      { numRuns: 300 },
    );

  it("resident IDs with a wrong check character (that pass no other check)", () => {
    const wrong = fc
      .tuple(residentId, fc.constantFrom(..."0123456789X"))
      .filter(([id, c]) => id[17] !== c)
      .map(([id, c]) => id.slice(0, 17) + c)
      .filter((id) => !luhnValid(id) && !validateUscc(id).ok);
    findsNothing(wrong);
    // Whatever else an 18-digit number may pass, it is never reported as a resident ID.
    fc.assert(
      fc.property(
        fc.tuple(residentId, fc.constantFrom(..."0123456789X")).filter(([id, c]) => id[17] !== c),
        ([id, c]) => {
          expect(identifiersIn(`身份证${id.slice(0, 17)}${c}。`)).not.toContain("resident_id");
        },
      ),
    );
  });

  it("credit codes with a wrong check character", () => {
    const wrong = fc
      .tuple(uscc, fc.constantFrom(...USCC_ALPHABET))
      .filter(([code, c]) => code[17] !== c)
      .map(([code, c]) => code.slice(0, 17) + c)
      .filter((code) => !validateResidentId(code).ok && !luhnValid(code));
    findsNothing(wrong);
  });

  it("11-digit numbers that do not start with 13-19", () => {
    const notMobile = fc
      .tuple(fc.constantFrom("0", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"), digits(10, 10))
      .map(([head, rest]) => (head + rest).slice(0, 11));
    findsNothing(notMobile);
  });

  it("13-19 digit numbers failing Luhn", () => {
    const notCard = fc
      .tuple(fc.integer({ min: 13, max: 19 }), digits(19, 19))
      .map(([length, raw]) => raw.slice(0, length))
      // 86 or 0086 before a mobile number is a mobile number with its country code.
      .filter((n) => !luhnValid(n) && !validateResidentId(n).ok && !validateUscc(n).ok && !/^(?:00)?861[3-9]\d{9}$/.test(n));
    findsNothing(notCard);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        expect(Array.isArray(identifiersIn(s))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe("identifiersIn: examples", () => {
  it("finds each kind in a note as staff type it", () => {
    expect(identifiersIn("客户身份证号11010519491231002X，电话138 0013 8000")).toEqual(["resident_id", "mobile"]);
    expect(identifiersIn("对方公司信用代码91350100M000100Y43。")).toEqual(["uscc"]);
    expect(identifiersIn("工资卡 4111 1111 1111 1111，开户行北京")).toEqual(["bank_card"]);
    expect(identifiersIn("工资卡 4111 1111 1111 1112，开户行北京")).toEqual([]);
    expect(identifiersIn("Call +86-138-0013-8000 after 5pm")).toEqual(["mobile"]);
  });

  it("reads full-width digits and ignores invisible characters", () => {
    expect(identifiersIn("电话：１３８００１３８０００")).toEqual(["mobile"]);
    expect(identifiersIn("1380\u200b0138000")).toEqual(["mobile"]);
  });

  it("does not look inside longer numbers, dates, amounts or case numbers", () => {
    expect(identifiersIn("订单号 13800138000123 已付")).not.toContain("mobile");
    expect(identifiersIn("ref 911101080000000001X")).toEqual([]);
    expect(identifiersIn("（2023）京0105民初12345号，标的额1,380,013,800元，2024-03-15开庭")).toEqual([]);
    expect(identifiersIn("劳动合同纠纷咨询")).toEqual([]);
  });

  it("reports a resident ID once even when it also passes Luhn", () => {
    const luhnToo = "110105194912310021".slice(0, 17);
    const id = luhnToo + residentIdCheckChar(luhnToo);
    expect(identifiersIn(`证号${id}`)).toEqual(["resident_id"]);
  });

  it("names the kind in the issue, never the value", () => {
    const issues = freeTextIssues("notes", "身份证11010519491231002X");
    expect(issues).toEqual([{ field: "notes", code: "resident_id_in_free_text", message: expect.stringContaining("resident ID") }]);
    expect(JSON.stringify(issues)).not.toContain("11010519491231002X");
    expect(freeTextIssues("notes", null)).toEqual([]);
  });

  it("stays linear on long adversarial input", () => {
    const nasty = (n: number) => ["1".repeat(n), "1 ".repeat(n / 2), "1234 ".repeat(n / 5), "a1".repeat(n / 2)];
    expect(growthRatio(nasty, (s) => identifiersIn(s), 10_000)).toBeLessThan(4 * GROWTH_FACTOR);
  });
});

describe("validateBankCard", () => {
  it("accepts 13-19 digits passing Luhn, with spaces or dashes", () => {
    expect(validateBankCard("4111 1111 1111 1111")).toEqual({ ok: true, value: "4111111111111111" });
    expect(validateBankCard("4111-1111-1111-1112")).toEqual({ ok: false, issue: "check_digit" });
    expect(validateBankCard("411111111111")).toEqual({ ok: false, issue: "format" });
    expect(validateBankCard("41111111111111111111")).toEqual({ ok: false, issue: "format" });
  });
});
