import { describe, expect, it } from "vitest";
import { burn } from "./image.js";
import { boxesFor, parseTsv } from "./ocr.js";

const HEADER = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";
const row = (block: number, line: number, word: number, left: number, width: number, text: string) =>
  `5\t1\t${block}\t1\t${line}\t${word}\t${left}\t100\t${width}\t40\t95\t${text}`;

// As tesseract reads "姓名：张三" and "手机 13800138000" on two lines, CJK characters as separate words.
const TSV = [
  HEADER,
  "4\t1\t1\t1\t1\t0\t10\t100\t300\t40\t-1\t",
  row(1, 1, 1, 10, 80, "姓名"),
  row(1, 1, 2, 95, 10, ":"),
  row(1, 1, 3, 110, 40, "张"),
  row(1, 1, 4, 152, 40, "三"),
  row(1, 2, 1, 10, 80, "手机"),
  row(1, 2, 2, 100, 200, "13800138000"),
  row(1, 2, 3, 310, 50, "Contract"),
  row(1, 2, 4, 370, 30, "12"),
  row(2, 1, 1, 10, 80, "合同"),
].join("\n");

describe("parseTsv", () => {
  it("joins CJK words without spaces, Latin and digit words with one, lines and blocks with breaks", () => {
    expect(parseTsv(TSV).text).toBe("姓名:张三\n手机13800138000 Contract 12\n\n合同");
  });
});

describe("boxesFor", () => {
  const page = parseTsv(TSV);
  const boxOf = (value: string) => {
    const start = page.text.indexOf(value);
    return boxesFor(page, start, start + value.length);
  };

  it("reaches from the kept word before to the kept word after", () => {
    const [box] = boxOf("张三");
    expect(box!.left).toBeLessThanOrEqual(105); // the right edge of ":"
    expect(box!.left + box!.width).toBeGreaterThanOrEqual(192 + 20); // past "三" by half a line height: nothing after it
    expect(boxOf("13800138000")).toEqual([expect.objectContaining({ left: 88, width: 310 - 88 + 2 })]);
  });

  it("gives one box per line", () => {
    const start = page.text.indexOf("张三");
    expect(boxesFor(page, start, page.text.indexOf("Contract"))).toHaveLength(2);
  });

  it("takes a share of a word by character width when a span covers part of it", () => {
    const words = parseTsv([HEADER, row(1, 1, 1, 0, 300, "号:13800138000")].join("\n"));
    const [box] = boxesFor(words, 2, 13);
    // "号" counts twice, ":" and the 11 digits once each: the digits start 3/14 of the way in.
    expect(box!.left).toBe(Math.floor((300 * 3) / 14) - 2);
  });
});

describe("burn", () => {
  it("paints opaque black inside the box, clipped to the image, and nothing outside", () => {
    const bitmap = { width: 4, height: 3, data: Buffer.alloc(4 * 3 * 4, 0xff) };
    burn(bitmap, [{ left: 2, top: -1, width: 10, height: 2 }]);
    const black = (x: number, y: number) => bitmap.data.readUInt32BE((y * 4 + x) * 4) === 0x000000ff;
    expect([black(2, 0), black(3, 0), black(1, 0), black(2, 1)]).toEqual([true, true, false, false]);
  });
});
