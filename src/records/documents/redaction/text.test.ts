import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { luhnValid, RESIDENT_ID_REGIONS, residentIdCheckChar } from "../../clients/identifiers.js";
import { detectPii } from "../pii/index.js";
import { CANARY, canariesIn, KEPT } from "./fixtures.js";
import { redactDocument } from "./index.js";

const plain = (text: string, options = {}) => redactDocument(Buffer.from(text, "utf8"), "text/plain", options);
const SAMPLE = `合同 Contract\n身份证号：${CANARY.residentId}\n姓名：${CANARY.name}\n手机 ${CANARY.mobile}\n银行卡号 ${CANARY.bankCard}\n邮箱 ${CANARY.email}\n委托方：${CANARY.marked}有限公司\n劳动合同纠纷\n`;

describe("redactDocument: text/plain", () => {
  it("the canaries are found by the detector in the first place", () => {
    const types = detectPii(SAMPLE).findings.map((f) => f.type);
    expect(types).toEqual(["resident_id", "person_name", "mobile", "bank_card", "email"]);
    expect(canariesIn(SAMPLE)).not.toEqual([]);
  });

  it("removes every finding and marked string, keeps the rest and the lines, and counts by type", async () => {
    const copy = await plain(SAMPLE, { marked: [CANARY.marked] });
    const text = copy.bytes.toString("utf8");
    expect(canariesIn(text)).toEqual([]);
    for (const kept of KEPT) expect(text).toContain(kept);
    expect(text.split("\n")).toHaveLength(SAMPLE.split("\n").length);
    expect(text).toContain("身份证号：[已删除]");
    expect(copy.removed).toEqual({ resident_id: 1, person_name: 1, mobile: 1, bank_card: 1, email: 1, marked: 1 });
    expect(copy).toMatchObject({ mediaType: "text/plain; charset=utf-8", method: "text" });
  });

  it("removes a marked string only when it is marked", async () => {
    expect((await plain(SAMPLE)).bytes.toString("utf8")).toContain(CANARY.marked);
  });

  it("honours the confidence threshold and the replacement", async () => {
    const text = (await plain(SAMPLE, { minConfidence: "high", replacement: "█████" })).bytes.toString("utf8");
    expect(text).toContain(`姓名：${CANARY.name}`); // names are low confidence
    expect(text).toContain("身份证号：█████");
    expect(text).not.toContain(CANARY.residentId);
  });

  it("reads GB 18030 and UTF-16 text and writes UTF-8", async () => {
    const gb = Buffer.from([0xca, 0xd6, 0xbb, 0xfa, ...Buffer.from(` ${CANARY.mobile}`)]); // "手机 138…" in GBK
    expect((await redactDocument(gb, "text/plain")).bytes.toString("utf8")).toBe("手机 [已删除]");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`手机 ${CANARY.mobile}`, "utf16le")]);
    expect((await redactDocument(utf16, "text/plain; charset=utf-8")).bytes.toString("utf8")).toBe("手机 [已删除]");
  });
});

const pad = (n: number, w: number) => String(n).padStart(w, "0");
const date = fc.date({ min: new Date("1920-01-01T00:00:00Z"), max: new Date("2020-12-31T00:00:00Z"), noInvalidDate: true });
const residentId = fc
  .tuple(fc.constantFrom(...RESIDENT_ID_REGIONS), date, fc.integer({ min: 0, max: 999 }))
  .map(([r, d, s]) => `${r}${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(s, 3)}`)
  .map((body) => body + residentIdCheckChar(body));
const card = fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 14, maxLength: 14 }).map((rest) => {
  const body = `62${rest}`.slice(0, 15);
  return body + [..."0123456789"].find((d) => luhnValid(body + d))!;
});
const mobile = fc.tuple(fc.constantFrom(..."3456789"), fc.integer({ min: 0, max: 999_999_999 })).map(([s, n]) => `1${s}${pad(n, 9)}`);
const label = fc.constantFrom("身份证号：", "卡号 ", "手机", "电话：", "", "姓名：张三，");
// Filler with Latin letters, digits (short runs), spaces, dashes and line breaks: the text around a value may join it or not.
const filler = fc.string({ unit: fc.constantFrom(..."合同客户律师委托，。；：a Z-\n123"), maxLength: 20 });
const document = fc.array(fc.tuple(filler, label, fc.oneof(residentId, card, mobile)), { minLength: 1, maxLength: 6 });

describe("redactDocument: text/plain property", () => {
  it("leaves no finding of high confidence, and none of the values the detector found, in any text with injected identifiers", async () => {
    let values = 0;
    await fc.assert(
      fc.asyncProperty(document, fc.string({ unit: fc.constantFrom(..."。x\n 9"), maxLength: 5 }), async (parts, tail) => {
        const text = parts.map(([f, l, v]) => f + l + v).join("") + tail;
        const found = detectPii(text).findings.map((f) => text.slice(f.start, f.end));
        values += found.length;
        const out = (await plain(text)).bytes.toString("utf8");
        expect(detectPii(out).findings.filter((f) => f.confidence === "high")).toEqual([]);
        for (const value of found) expect(out).not.toContain(value);
      }),
      { numRuns: 300 },
    );
    expect(values).toBeGreaterThan(300); // the injected values are mostly found, so the property says something
  });
});
