import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luhnValid, RESIDENT_ID_REGIONS, residentIdCheckChar, usccCheckChar } from "../../clients/identifiers.js";
import { isResidentId, isUscc } from "./checks.js";
import { detectPii } from "./detector.js";
import type { PiiType } from "./types.js";

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const digits = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";

// Filler without digits or Latin letters, so it holds no identifier of its own; boundaries are never
// alphanumeric, a space, a dash or a line break (which could join the filler to the value).
const CJK = [..."客户咨询劳动合同纠纷材料已提交下周面谈委托代理事项律师意见书附件"];
const filler = fc.string({ unit: fc.constantFrom(...CJK, ..."，。：；（）、！？"), maxLength: 30 });
const boundary = fc.constantFrom("，", "。", "：", "；", "（", "）", "、", ":", ",", "(", ")", "号", "是");

const date = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date(), noInvalidDate: true });
const ymd = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}`;
const residentId = fc
  .tuple(fc.constantFrom(...RESIDENT_ID_REGIONS), date, fc.integer({ min: 0, max: 999 }))
  .map(([r, d, s]) => `${r}${ymd(d)}${pad(s, 3)}`)
  .map((body) => body + residentIdCheckChar(body));
const uscc = fc
  .tuple(
    fc.constantFrom("91", "92", "93", "11", "51", "Y1"),
    fc.constantFrom(...RESIDENT_ID_REGIONS),
    fc.string({ unit: fc.constantFrom(...USCC_ALPHABET), minLength: 9, maxLength: 9 }),
  )
  .map(([h, r, o]) => h + r + o)
  .map((body) => body + usccCheckChar(body))
  .filter((c) => /[A-Z]/.test(c)); // all-digit codes may also be cards; covered by the corpus test
const card = fc
  .tuple(fc.constantFrom("62", "45", "52", "35"), fc.integer({ min: 16, max: 19 }), digits(17))
  .map(([bin, n, rest]) => {
    const body = (bin + rest).slice(0, n - 1);
    return body + [..."0123456789"].find((d) => luhnValid(body + d))!;
  })
  .filter((c) => !isResidentId(c) && !isUscc(c));
const mobile = fc.tuple(fc.constantFrom(..."3456789"), digits(9)).map(([s, rest]) => `1${s}${rest}`);
const email = fc
  .tuple(fc.constantFrom("zhang.wei", "li_na", "client"), fc.nat(999), fc.constantFrom("example.com", "lawfirm.cn"))
  .map(([l, n, d]) => `${l}${n}@${d}`);

const embed = (id: fc.Arbitrary<string>) =>
  fc.tuple(filler, boundary, id, boundary, filler).map(([a, l, value, r, b]) => ({ value, text: a + l + value + r + b, start: a.length + l.length }));

const findsAt = (type: PiiType, id: fc.Arbitrary<string>) =>
  fc.assert(
    fc.property(embed(id), ({ value, text, start }) => {
      expect(detectPii(text).findings).toEqual([expect.objectContaining({ type, start, end: start + value.length })]);
    }),
    { numRuns: 200 },
  );

describe("detectPii: valid identifiers in arbitrary Chinese text are found at their spans", () => {
  it("resident IDs (region, date, MOD 11-2)", () => findsAt("resident_id", residentId));
  it("unified social credit codes (GB 32100)", () => findsAt("uscc", uscc));
  it("bank cards of 16-19 digits passing Luhn", () => findsAt("bank_card", card));
  it("mainland mobile numbers", () => findsAt("mobile", mobile));
  it("e-mail addresses", () => findsAt("email", email));

  it("offsets point into the original text through full-width digits and zero-width characters", () => {
    fc.assert(
      fc.property(embed(residentId), fc.nat(16), ({ value, text, start }, cut) => {
        const wide = value.replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
        const written = `${wide.slice(0, cut + 1)}\u200b${wide.slice(cut + 1)}`;
        const doc = text.slice(0, start) + written + text.slice(start + value.length);
        expect(detectPii(doc).findings).toEqual([expect.objectContaining({ type: "resident_id", start, end: start + written.length })]);
      }),
      { numRuns: 100 },
    );
  });

  it("an identifier split by a line break or grouped by spaces in a table cell is one finding", () => {
    fc.assert(
      // Not when a piece is a whole card by itself: that one-line reading wins (detector.ts).
      fc.property(residentId, fc.integer({ min: 1, max: 17 }), fc.constantFrom("\n", "\r\n", "\n  ", " "), (id, at, sep) => {
        fc.pre(![id.slice(0, at), id.slice(at)].some((piece) => piece.length >= 16 && /^[34569]/.test(piece) && luhnValid(piece)));
        const written = id.slice(0, at) + sep + id.slice(at);
        const doc = `| 张伟 | ${written} | 已核实 |`;
        expect(detectPii(doc).findings).toEqual([expect.objectContaining({ type: "resident_id", start: 7, end: 7 + written.length })]);
      }),
    );
  });
});

describe("detectPii: look-alikes are not found", () => {
  const findsNothing = (lookAlike: fc.Arbitrary<string>) =>
    fc.assert(
      fc.property(embed(lookAlike), ({ text }) => {
        expect(detectPii(text).findings).toEqual([]);
      }),
      { numRuns: 200 },
    );

  it("18-digit numbers with a wrong check character", () =>
    findsNothing(
      fc
        .tuple(residentId, fc.constantFrom(..."0123456789X"))
        .filter(([id, c]) => id[17] !== c)
        .map(([id, c]) => id.slice(0, 17) + c)
        .filter((id) => !luhnValid(id) && !isUscc(id)),
    ));

  it("resident IDs with a date that does not exist or lies in the future, even with a right check character", () =>
    findsNothing(
      fc
        .tuple(fc.constantFrom(...RESIDENT_ID_REGIONS), fc.constantFrom("19990230", "20010229", "19850431", "19921301", "18991231", "20991231"), digits(3))
        .map(([r, d, s]) => r + d + s)
        .map((body) => body + residentIdCheckChar(body))
        .filter((id) => !luhnValid(id) && !isUscc(id)),
    ));

  it("card-length numbers failing Luhn, and valid cards inside longer numbers", () => {
    findsNothing(
      fc
        .tuple(fc.constantFrom("45", "52", "35"), fc.integer({ min: 16, max: 19 }), digits(17))
        .map(([bin, n, rest]) => (bin + rest).slice(0, n))
        .filter((n) => !luhnValid(n) && !isResidentId(n) && !isUscc(n)),
    );
    findsNothing(fc.tuple(card, digits(4)).map(([c, more]) => c + more));
    findsNothing(fc.tuple(digits(4), card).map(([more, c]) => more + c));
  });

  it("phone-like numbers of the wrong length", () => findsNothing(fc.tuple(mobile, fc.boolean()).map(([m, longer]) => (longer ? `${m}7` : m.slice(0, 10)))));

  it("passport- and permit-shaped codes without their context word", () =>
    findsNothing(fc.tuple(fc.constantFrom("E", "C", "G"), digits(8)).map(([l, d]) => l + d)));
});

describe("detectPii: robustness", () => {
  it("never throws, and findings are ordered, in bounds and never overlap", () => {
    const unit = fc.oneof(fc.constantFrom(..."0123456789 -\n|Xx+()@.（）：１２３\u200b", ...CJK), fc.string({ unit: "binary", maxLength: 1 }));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400 }), (text) => {
        const { findings } = detectPii(text);
        for (let i = 0; i < findings.length; i++) {
          const f = findings[i]!;
          expect(f.start).toBeGreaterThanOrEqual(0);
          expect(f.end).toBeLessThanOrEqual(text.length);
          expect(f.start).toBeLessThan(f.end);
          if (i > 0) expect(findings[i - 1]!.end).toBeLessThanOrEqual(f.start);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("stays linear on long adversarial input", () => {
    const nasty = ["1".repeat(100_000), "1 ".repeat(50_000), "a@".repeat(50_000), `${"姓名：".repeat(20_000)}`, "1\n".repeat(50_000), "A123456".repeat(10_000)];
    const start = performance.now();
    for (const s of nasty) detectPii(s);
    expect(performance.now() - start).toBeLessThan(2000);
  });
});

describe("detectPii: examples", () => {
  const spans = (text: string) => detectPii(text).findings.map((f) => [f.type, text.slice(f.start, f.end), f.confidence, f.validated]);

  it("reads a case note", () => {
    expect(spans("当事人张伟因合同纠纷委托本所，住址：北京市朝阳区建国路88号，邮箱zhang.wei@example.com，电话+86 138-0013-8000。")).toEqual([
      ["person_name", "张伟", "low", false],
      ["address", "北京市朝阳区建国路88号", "low", false],
      ["email", "zhang.wei@example.com", "high", false],
      ["mobile", "+86 138-0013-8000", "high", false],
    ]);
  });

  it("reads Hong Kong, Macau and Taiwan documents and permits by their context", () => {
    expect(spans("香港身份证A123456(3)，澳门居民身份证1234567(8)，台湾身份证A123456789，回乡证H12345678，台胞证号码12345678")).toEqual([
      ["hk_id", "A123456(3)", "high", true],
      ["macau_id", "1234567(8)", "medium", false],
      ["taiwan_id", "A123456789", "high", true],
      ["hk_macau_travel_permit", "H12345678", "medium", false],
      ["taiwan_travel_permit", "12345678", "medium", false],
    ]);
    expect(spans("护照号码E12345678，往来港澳通行证CA1234567；型号E12345678")).toEqual([
      ["passport", "E12345678", "medium", false],
      ["exit_entry_permit", "CA1234567", "medium", false],
    ]);
  });

  it("residence permits, old 15-digit IDs by context, landlines with separators or context", () => {
    const permit = "81000019900101002";
    expect(spans(`居住证${permit + residentIdCheckChar(permit)}，身份证号110105491231002，座机010-62345678，（0755）8765 4321`)).toEqual([
      ["residence_permit", permit + residentIdCheckChar(permit), "high", true],
      ["resident_id", "110105491231002", "medium", false],
      ["landline", "010-62345678", "medium", false],
      ["landline", "（0755）8765 4321", "medium", false],
    ]);
    expect(spans("编号110105491231002，编号01062345678")).toEqual([]);
  });

  it("UnionPay numbers failing Luhn are reported, lower, only as cards in context", () => {
    const failing = "6222020000000000001";
    expect(luhnValid(failing)).toBe(false);
    expect(spans(`银行卡号：${failing}`)).toEqual([["bank_card", failing, "low", false]]);
    expect(spans(`单号：${failing}`)).toEqual([]);
  });

  it("summarises by type without values", () => {
    const scan = detectPii("身份证11010519491231002X，手机13800138000，手机13900139000");
    expect(scan.summary).toEqual({ resident_id: { count: 1, high: 1, medium: 0, low: 0 }, mobile: { count: 2, high: 2, medium: 0, low: 0 } });
    expect(JSON.stringify(scan)).not.toMatch(/1380013|11010519/);
  });
});

describe("labels glued to numbers", () => {
  it("finds a mobile or resident ID written straight after a Latin label", () => {
    fc.assert(
      fc.property(fc.constantFrom("Tel", "TEL", "Mobile", "ID", "No"), fc.oneof(mobile, residentId), (label, value) => {
        const text = `客户${label}${value}，`;
        const found = detectPii(text).findings.map((f) => text.slice(f.start, f.end));
        expect(found).toContain(value);
      }),
    );
  });
});
