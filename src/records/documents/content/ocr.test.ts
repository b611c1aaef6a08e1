import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CANARY, makePdf, renderPng } from "./fixtures.js";
import { joinCjkSpaces, ocrAvailable, ocrWords, parseTsv } from "./ocr.js";

const available = await ocrAvailable();
// CI installs tesseract: there a missing one fails the OCR tests instead of skipping them.
const runOcr = available || process.env.CUSTODIA_REQUIRE_OCR === "1";

describe("joinCjkSpaces", () => {
  it("joins what tesseract's chi_sim splits, keeps Latin and digit spacing", () => {
    expect(joinCjkSpaces("姓 名 : 张 三")).toBe("姓名:张三");
    expect(joinCjkSpaces("住 址 ： 北 京 市 朝 阳 区")).toBe("住址：北京市朝阳区");
    expect(joinCjkSpaces("身份证号 : 11010519491231002X")).toBe("身份证号: 11010519491231002X");
    expect(joinCjkSpaces("手机 : 138 0013 8000")).toBe("手机: 138 0013 8000");
    expect(joinCjkSpaces("Tel : 138 00 ZHANG San")).toBe("Tel : 138 00 ZHANG San");
    expect(joinCjkSpaces("张 三\n李 四")).toBe("张三\n李四");
  });

  const han = fc.constantFrom(..."张三李四姓名住址北京市朝阳区身份证号：，。");
  const other = fc.constantFrom(..."abcXYZ0123456789-+/@", " ", "  ", "\n");
  const text = fc.array(fc.oneof(han, other, fc.constant(" ")), { maxLength: 80 }).map((a) => a.join(""));

  it("only removes spaces, and leaves none between two CJK characters", () => {
    fc.assert(
      fc.property(text, (input) => {
        const out = joinCjkSpaces(input);
        expect(out.replace(/[ \t]/g, "")).toBe(input.replace(/[ \t]/g, ""));
        expect(out).not.toMatch(/\p{Script=Han}[ \t]+\p{Script=Han}/u);
      }),
    );
  });

  it("leaves text without CJK unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab19 :.,()\t\n-") }), (input) => {
        expect(joinCjkSpaces(input)).toBe(input);
      }),
    );
  });
});

describe("parseTsv", () => {
  it("keeps word rows, numbers lines in reading order across blocks", () => {
    const tsv = [
      "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext",
      "1\t1\t0\t0\t0\t0\t0\t0\t800\t600\t-1\t",
      "4\t1\t1\t1\t1\t0\t10\t20\t300\t40\t-1\t",
      "5\t1\t1\t1\t1\t1\t10\t20\t100\t40\t91.5\t姓名",
      "5\t1\t1\t1\t1\t2\t120\t20\t80\t40\t88\t张三",
      "5\t1\t1\t1\t1\t3\t210\t20\t5\t40\t95\t ",
      "5\t1\t2\t1\t1\t1\t10\t80\t400\t40\t77.25\t13800138000",
      "5\t2\t1\t1\t1\t1\t11\t21\t30\t40\t60\tx",
    ].join("\n");
    expect(parseTsv(tsv)).toEqual([
      { text: "姓名", left: 10, top: 20, width: 100, height: 40, line: 0, conf: 91.5, page: 1 },
      { text: "张三", left: 120, top: 20, width: 80, height: 40, line: 0, conf: 88, page: 1 },
      { text: "13800138000", left: 10, top: 80, width: 400, height: 40, line: 1, conf: 77.25, page: 1 },
      { text: "x", left: 11, top: 21, width: 30, height: 40, line: 2, conf: 60, page: 2 },
    ]);
  });
});

describe("ocrWords", () => {
  it.skipIf(!runOcr)("tesseract with chi_sim is installed", () => expect(available).toBe(true));

  it.skipIf(!runOcr)("boxes each word inside the image, the identifiers whole", async () => {
    const pdf = await makePdf([[`姓名：${CANARY.name}`, `身份证号：${CANARY.residentId}`, `手机：${CANARY.mobile}`]]);
    const png = await renderPng(pdf, 1, 150);
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const words = await ocrWords(png);
    const id = words.find((w) => w.text.includes(CANARY.residentId));
    const mobile = words.find((w) => w.text.includes(CANARY.mobile));
    expect(id).toBeDefined();
    expect(mobile).toBeDefined();
    expect(mobile!.line).toBeGreaterThan(id!.line);
    expect(mobile!.top).toBeGreaterThan(id!.top);
    for (const w of words) {
      expect(w.left + w.width).toBeLessThanOrEqual(width);
      expect(w.top + w.height).toBeLessThanOrEqual(height);
      expect(w.conf).toBeGreaterThanOrEqual(0);
    }
  });
});
