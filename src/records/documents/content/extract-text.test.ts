import ExcelJS from "exceljs";
import { Jimp } from "jimp";
import JSZip from "jszip";
import { PDFDocument, PDFHexString } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { detectPii, type PiiType } from "../pii/index.js";
import { ExtractionError, type ExtractionFailure } from "./errors.js";
import { type ExtractedText, extractText } from "./extract-text.js";
import { CANARY, makeDocx, makePdf, makeScannedPdf, makeXlsx, renderPng } from "./fixtures.js";
import { DOCX, sniffMediaType, XLSX } from "./media-type.js";
import { ocrAvailable } from "./ocr.js";

const available = await ocrAvailable();
// CI installs tesseract: there a missing one fails the OCR tests instead of skipping them.
const runOcr = available || process.env.CUSTODIA_REQUIRE_OCR === "1";

const SECOND_MOBILE = "13900139000";
const LINES = ["委托代理", `姓名：${CANARY.name}`, `身份证号：${CANARY.residentId}`, `手机：${CANARY.mobile}`];

/** The values the detector finds, by type (a test may look at them; the detector never returns them). */
function found(text: string): Map<PiiType, string[]> {
  const byType = new Map<PiiType, string[]>();
  for (const f of detectPii(text).findings) byType.set(f.type, [...(byType.get(f.type) ?? []), text.slice(f.start, f.end)]);
  return byType;
}

function expectCanaries(text: string) {
  expect(text).toContain(CANARY.residentId);
  expect(text).toContain(CANARY.mobile);
  const pii = found(text);
  expect(pii.get("resident_id")).toContain(CANARY.residentId);
  expect(pii.get("mobile")).toContain(CANARY.mobile);
  expect(pii.get("person_name")).toContain(CANARY.name);
}

function pageText(result: ExtractedText, page: number): string {
  const span = result.pages.find((p) => p.page === page)!;
  return result.text.slice(span.start, span.end);
}

async function failure(promise: Promise<unknown>): Promise<ExtractionFailure> {
  const error = await promise.then(
    () => expect.unreachable("extraction should have failed"),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExtractionError);
  const e = error as ExtractionError;
  expect(e.code).toBe("extraction_failed");
  expect(e.cause).toBeUndefined();
  for (const canary of Object.values(CANARY)) expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(canary);
  return e.reason;
}

describe("extractText: plain text", () => {
  it("decodes UTF-8 and drops the BOM", async () => {
    const result = await extractText(Buffer.from(`\ufeff${LINES.join("\r\n")}`), "text/plain");
    expect(result).toMatchObject({ method: "plain", complete: true, pages: [{ page: 1, start: 0, end: result.text.length }] });
    expect(result.text.startsWith("委托代理\r\n")).toBe(true);
    expectCanaries(result.text);
  });
});

describe("extractText: DOCX", () => {
  it("reads paragraphs, tables, headers, footers and footnotes", async () => {
    const docx = await makeDocx({
      paragraphs: ["委托代理合同", `委托人 姓名：${CANARY.name}`],
      table: [
        ["身份证号", CANARY.residentId],
        ["手机", CANARY.mobile],
      ],
      header: `律所 A&B <机密> ${CANARY.email}`,
      footer: "第 1 页",
      footnote: `紧急联系人电话 ${SECOND_MOBILE}`,
    });
    expect(await sniffMediaType(docx.subarray(0, 4100))).toBe(DOCX);
    const result = await extractText(docx, DOCX);
    expect(result).toMatchObject({ method: "docx", complete: true, pages: [{ page: 1, start: 0, end: result.text.length }] });
    expectCanaries(result.text);
    expect(result.text).toContain("律所 A&B <机密>");
    expect(found(result.text).get("email")).toEqual([CANARY.email]);
    expect(found(result.text).get("mobile")).toEqual([CANARY.mobile, SECOND_MOBILE]);
  });
});

describe("extractText: XLSX", () => {
  it("reads every cell of every sheet, one line per row, cells split by tabs", async () => {
    const xlsx = await makeXlsx({
      客户名单: [
        ["姓名", "身份证号", "手机", "登记日", "备注", "合计"],
        [
          `姓名：${CANARY.name}`,
          CANARY.residentId,
          Number(CANARY.mobile),
          new Date("2024-03-01T00:00:00Z"),
          { richText: [{ text: "重要" }, { text: "客户" }] },
          { formula: "1+1", result: 2 },
        ],
        ["李四", "11010519491231002X", 13912345678],
      ],
      联系人: [["紧急联系人"], [Number(SECOND_MOBILE)]],
    });
    const result = await extractText(xlsx, XLSX);
    expect(result).toMatchObject({ method: "xlsx", complete: true });
    expect(result.pages.map((p) => p.page)).toEqual([1, 2]);
    const first = pageText(result, 1);
    expect(first.split("\n")).toEqual([
      "客户名单",
      "",
      "姓名\t身份证号\t手机\t登记日\t备注\t合计",
      `姓名：${CANARY.name}\t${CANARY.residentId}\t${CANARY.mobile}\t2024-03-01\t重要客户\t2`,
      `李四\t${CANARY.residentId}\t13912345678`,
    ]);
    expectCanaries(first);
    // Numbers in rows one under another stay apart: each row's mobile is found whole.
    expect(found(first).get("mobile")).toEqual([CANARY.mobile, "13912345678"]);
    expect(found(first).get("resident_id")).toEqual([CANARY.residentId, CANARY.residentId]);
    expect(pageText(result, 2)).toBe(`联系人\n\n紧急联系人\n${SECOND_MOBILE}`);
  });

  it("reads hidden sheets, hyperlinks' text, cells with line breaks, and merged cells once", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("隐藏", { state: "hidden" });
    sheet.getCell("A1").value = { text: CANARY.email, hyperlink: `mailto:${CANARY.email}` };
    sheet.getCell("A2").value = `手机\n${CANARY.mobile}`;
    sheet.getCell("A3").value = CANARY.residentId;
    sheet.mergeCells("A3:C3");
    const result = await extractText(Buffer.from(await book.xlsx.writeBuffer()), XLSX);
    expect(result.text).toBe(`隐藏\n\n${CANARY.email}\n手机 ${CANARY.mobile}\n${CANARY.residentId}`);
  });
});

describe("extractText: PDF with a text layer", () => {
  it("reads each page and gives its offsets", async () => {
    const pdf = await makePdf([LINES, ["第二页：紧急联系人的手机号码如下所示，请妥善保管。", `联系电话 ${SECOND_MOBILE}`]]);
    const result = await extractText(pdf, "application/pdf", { ocr: false });
    expect(result).toMatchObject({ method: "pdf-text", complete: true });
    expect(result.pages.map((p) => p.page)).toEqual([1, 2]);
    expectCanaries(pageText(result, 1));
    expect(pageText(result, 1)).not.toContain(SECOND_MOBILE);
    expect(found(pageText(result, 2)).get("mobile")).toEqual([SECOND_MOBILE]);
  });
});

describe("extractText: images and scans (OCR)", () => {
  it.skipIf(!runOcr)("tesseract with chi_sim is installed", () => expect(available).toBe(true));

  it.skipIf(!runOcr)("recognises a PNG and a JPEG with Chinese text", async () => {
    const png = await renderPng(await makePdf([LINES], 24));
    for (const [image, type] of [
      [png, "image/png"],
      [await (await Jimp.fromBuffer(png)).getBuffer("image/jpeg"), "image/jpeg"],
    ] as const) {
      const result = await extractText(image, type);
      expect(result).toMatchObject({ method: "ocr", complete: true, ocrAvailable: true, pages: [{ page: 1, start: 0 }] });
      expectCanaries(result.text);
    }
  });

  it.skipIf(!runOcr)("recognises the pages of a scanned PDF (images only, no text layer)", async () => {
    const scan = await makeScannedPdf([
      await renderPng(await makePdf([LINES], 24)),
      await renderPng(await makePdf([["第二页 紧急联系人", `联系电话 ${SECOND_MOBILE}`]], 24)),
    ]);
    const result = await extractText(scan, "application/pdf");
    expect(result).toMatchObject({ method: "ocr", complete: true });
    expect(result.pages.map((p) => p.page)).toEqual([1, 2]);
    expectCanaries(pageText(result, 1));
    expect(found(pageText(result, 2)).get("mobile")).toEqual([SECOND_MOBILE]);

    // Beyond the page cap the rest is left unread, and said so.
    const capped = await extractText(scan, "application/pdf", { maxOcrPages: 1 });
    expect(capped).toMatchObject({ method: "ocr", complete: false });
    expect(pageText(capped, 2)).toBe("");
  });

  it.skipIf(!runOcr)("fails with a timeout when recognition takes too long", async () => {
    const png = await renderPng(await makePdf([LINES], 24));
    expect(await failure(extractText(png, "image/png", { timeoutMs: 1 }))).toBe("timeout");
  });

  it("without OCR, an image or a scan is reported incomplete, not empty-and-clean", async () => {
    const png = await renderPng(await makePdf([LINES], 24), 1, 50);
    expect(await extractText(png, "image/png", { ocr: false })).toEqual({
      text: "",
      pages: [{ page: 1, start: 0, end: 0 }],
      method: "none",
      ocrAvailable: available,
      complete: false,
    });
    const scan = await extractText(await makeScannedPdf([png]), "application/pdf", { ocr: false });
    expect(scan).toMatchObject({ text: "", method: "pdf-text", complete: false });
  });
});

describe("extractText: what cannot be read", () => {
  it("an unknown format is not read", async () => {
    expect(await extractText(Buffer.from([0x7f, 0x45, 0x4c, 0x46]), "application/octet-stream")).toMatchObject({
      text: "",
      pages: [],
      method: "none",
      complete: false,
    });
  });

  it("damaged files fail as corrupt, without their content in the error", async () => {
    const text = Buffer.from(LINES.join("\n"));
    expect(await failure(extractText(text, "application/pdf"))).toBe("corrupt");
    expect(await failure(extractText(text, DOCX))).toBe("corrupt");
    expect(await failure(extractText(text, XLSX))).toBe("corrupt");
    const pdf = await makePdf([LINES]);
    expect(await failure(extractText(Buffer.concat([pdf.subarray(0, 400), text]), "application/pdf"))).toBe("corrupt");
    const zip = new JSZip();
    zip.file("word/document.xml", `<w:document>${LINES.join("")}`);
    expect(await failure(extractText(await zip.generateAsync({ type: "nodebuffer" }), DOCX))).toBe("corrupt");
  });

  it("password-protected PDFs and office files fail as encrypted", async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText(CANARY.mobile);
    // A standard security handler whose user password is not empty: pdf.js must ask for it.
    const { context } = doc;
    context.trailerInfo.Encrypt = context.register(
      context.obj({ Filter: "Standard", V: 1, R: 2, O: PDFHexString.of("a5".repeat(32)), U: PDFHexString.of("5a".repeat(32)), P: -4 }),
    );
    context.trailerInfo.ID = context.obj([PDFHexString.of("0f".repeat(16)), PDFHexString.of("0f".repeat(16))]);
    const encrypted = Buffer.from(await doc.save({ useObjectStreams: false }));
    expect(await failure(extractText(encrypted, "application/pdf"))).toBe("encrypted");

    // Office's encryption: an OLE compound file holding an EncryptedPackage stream.
    const cfb = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(500), Buffer.from("EncryptedPackage", "utf16le")]);
    expect(await failure(extractText(cfb, DOCX))).toBe("encrypted");
    expect(await failure(extractText(cfb, XLSX))).toBe("encrypted");
    expect(await failure(extractText(cfb.subarray(0, 508), DOCX))).toBe("corrupt");
  });

  it("an archive declaring more than it may expand to is refused before inflating", async () => {
    const zip = await new JSZip().file("word/document.xml", "<w:document/>").generateAsync({ type: "nodebuffer" });
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0x7fffffff, central + 24);
    expect(await failure(extractText(zip, DOCX))).toBe("too_large");
  });

  it.skipIf(!runOcr)("an image declaring gigapixels is refused before recognition", async () => {
    const png = await renderPng(await makePdf([LINES]), 1, 50);
    const huge = Buffer.from(png);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    expect(await failure(extractText(huge, "image/png"))).toBe("too_large");
  });

  it("an aborted extraction rejects with the signal's reason", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(extractText(Buffer.from("x"), "text/plain", { signal: controller.signal })).rejects.toThrow("stop");
  });
});
