import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { XLSX } from "./docx.js";
import { CANARY, canariesIn, canariesInBytes, KEPT, makeXlsx } from "./fixtures.js";
import { type RedactedCopy, redactDocument } from "./index.js";

/** Everything a reader of the workbook sees as text: sheet names, cell texts, formula results, links, notes, properties. */
async function workbookText(xlsx: Buffer): Promise<{ text: string; book: ExcelJS.Workbook }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(xlsx as unknown as ExcelJS.Buffer);
  const out: string[] = [book.creator ?? "", book.lastModifiedBy ?? "", book.title ?? ""];
  for (const ws of book.worksheets) {
    out.push(ws.name);
    ws.eachRow((row) =>
      row.eachCell((cell) => {
        out.push(cell.text, JSON.stringify(cell.value));
        if (cell.note !== undefined) out.push(JSON.stringify(cell.note));
      }),
    );
  }
  return { text: out.join("\n"), book };
}

describe("redactDocument: XLSX", () => {
  let input: Buffer;
  let copy: RedactedCopy;
  beforeAll(async () => {
    input = await makeXlsx();
    copy = await redactDocument(input, XLSX, { marked: [CANARY.marked] });
  });

  it("the input holds the canaries as text, numbers, rich text, a formula result, a link, a note and a sheet name", async () => {
    const { text } = await workbookText(input);
    expect(canariesIn(text)).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile, CANARY.name, CANARY.email, CANARY.marked, "6222021234567894"]));
    expect(await canariesInBytes(input)).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile, CANARY.name, "6222021234567894"]));
  });

  it("leaves no canary in what a reader sees, nor in the bytes of any part", async () => {
    expect(canariesIn((await workbookText(copy.bytes)).text)).toEqual([]);
    expect(await canariesInBytes(copy.bytes)).toEqual([]);
    expect(copy).toMatchObject({ mediaType: XLSX, method: "xlsx-rewritten" });
    expect(copy.removed).toMatchObject({ person_name: 1, resident_id: 1, email: 1, marked: 2 });
  });

  it("turns identifiers typed as numbers into the mark, and keeps other numbers and text", async () => {
    const { text, book } = await workbookText(copy.bytes);
    const sheet = book.getWorksheet("客户")!;
    expect(sheet.getCell("B2").value).toBe("[已删除]"); // the phone typed as a number
    expect(sheet.getCell("D2").value).toBe("[已删除]"); // the card typed as a number
    expect(sheet.getCell("A2").value).toBe("[已删除]"); // a name, known by its column header 姓名
    expect(sheet.getCell("D3").value).toBe(1200);
    expect(sheet.getCell("A1").value).toBe("姓名");
    expect(sheet.getCell("E3").value).toBe("委托方：[已删除]有限公司");
    const rich = sheet.getCell("E2").value as ExcelJS.CellRichTextValue;
    expect(rich.richText.map((r) => r.text)).toEqual(["卡号 [已删除]", ""]); // the card split across two runs
    expect(rich.richText[1]!.font?.bold).toBe(true);
    for (const kept of KEPT) expect(text).toContain(kept);
  });

  it("renames a sheet whose name holds a value, and empties the workbook's authors", async () => {
    const { book } = await workbookText(copy.bytes);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(["客户", "Sheet2"]);
    expect(book.getWorksheet("Sheet2")!.getCell("B1").value).toBe("合同");
    // exceljs writes "Unknown" for an empty author.
    for (const field of [book.creator, book.lastModifiedBy, book.title]) expect(["", "Unknown"]).toContain(field ?? "");
  });

  it("keeps a marked string unless it is marked", async () => {
    const unmarked = await redactDocument(input, XLSX);
    expect((await workbookText(unmarked.bytes)).text).toContain(CANARY.marked);
  });

  it("gives each cell of a shared formula its own formula before any is redacted", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("s");
    // The first cell's result is a phone number: it becomes the mark, and the second keeps a formula of its own.
    ws.addRow([138, 138000, { formula: 'A1&"00"&B1', result: CANARY.mobile }]);
    ws.addRow([12, 34, { sharedFormula: "C1", result: "120034" }]);
    const written = Buffer.from(await book.xlsx.writeBuffer());
    const before = new ExcelJS.Workbook();
    await before.xlsx.load(written as unknown as ExcelJS.Buffer);
    expect(before.getWorksheet("s")!.getCell("C2").value).toMatchObject({ sharedFormula: "C1" });

    const out = await redactDocument(written, XLSX);
    const read = new ExcelJS.Workbook();
    await read.xlsx.load(out.bytes as unknown as ExcelJS.Buffer);
    expect(read.getWorksheet("s")!.getCell("C1").value).toBe("[已删除]");
    expect(read.getWorksheet("s")!.getCell("C2").value).toMatchObject({ formula: 'A2&"00"&B2', result: "120034" });
  });
});
