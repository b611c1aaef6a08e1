import { PDFDocument, PDFName } from "pdf-lib";
import { extractText, getDocumentProxy, getMeta } from "unpdf";
import { beforeAll, describe, expect, it } from "vitest";
import { CANARY, canariesIn, canariesInBytes, KEPT, makePdf, makeScannedPdf, ocrText, PDF_LINES, renderPng } from "./fixtures.js";
import { PDF_BANNER, type RedactedCopy, redactDocument } from "./index.js";
import { ocrAvailable } from "./ocr.js";

const pagesOf = async (pdf: Buffer) => (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false })).text as string[];
// CI sets CUSTODIA_REQUIRE_OCR=1: there a missing tesseract fails these tests instead of skipping them.
const skipOcr = !(await ocrAvailable()) && process.env.CUSTODIA_REQUIRE_OCR !== "1";

describe("redactDocument: PDF (regenerated)", () => {
  let input: Buffer;
  let copy: RedactedCopy;
  beforeAll(async () => {
    input = await makePdf([PDF_LINES, ["第二页 Contract", `联系人手机 ${CANARY.mobile}`]]);
    copy = await redactDocument(input, "application/pdf", { marked: [CANARY.marked] });
  });

  it("the input's text layer, metadata and attachment hold the canaries", async () => {
    const text = (await pagesOf(input)).join("\n");
    expect(canariesIn(text)).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile, CANARY.bankCard, CANARY.name, CANARY.marked]));
    expect((await getMeta(new Uint8Array(input))).info).toMatchObject({ Author: CANARY.name });
    expect(await canariesInBytes(input)).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile]));
  });

  it("leaves no canary in the copy's text, metadata or bytes, and nothing of the original's objects", async () => {
    const pages = await pagesOf(copy.bytes);
    expect(canariesIn(pages.join("\n"))).toEqual([]);
    expect(await canariesInBytes(copy.bytes)).toEqual([]);
    const info = (await getMeta(new Uint8Array(copy.bytes))).info as Record<string, unknown>;
    expect(JSON.stringify(info)).not.toContain(CANARY.name);
    expect(info.Title).toBe(PDF_BANNER);
    const pdf = await PDFDocument.load(copy.bytes);
    expect(pdf.catalog.get(PDFName.of("Names"))).toBeUndefined(); // no name tree of embedded files
    expect(copy.bytes.includes("/EmbeddedFile")).toBe(false);
    expect(copy).toMatchObject({ mediaType: "application/pdf", method: "pdf-regenerated" });
    expect(copy.removed).toMatchObject({ resident_id: 1, person_name: 1, mobile: 2, bank_card: 1, marked: 1 });
  });

  it("keeps the other text, page by page, under the banner", async () => {
    const pages = await pagesOf(copy.bytes);
    expect(pages).toHaveLength(2);
    for (const page of pages) expect(page.startsWith(PDF_BANNER)).toBe(true);
    for (const kept of KEPT) expect(pages[0]).toContain(kept);
    expect(pages[0]).toContain("身份证号：[已删除]");
    expect(pages[0]).toContain("委托方：[已删除]有限公司");
    expect(pages[1]).toContain("第二页 Contract");
  });

  it("keeps a marked string unless it is marked", async () => {
    const unmarked = await redactDocument(input, "application/pdf");
    expect((await pagesOf(unmarked.bytes)).join("")).toContain(CANARY.marked);
  });

  it("continues a page's text on further pages when it overflows, each with the banner", async () => {
    const lines = Array.from({ length: 120 }, (_, i) => `第${i + 1}行 合同条款 Contract clause ${i + 1}`);
    const out = await redactDocument(await makePdf([lines], 3), "application/pdf");
    const pages = await pagesOf(out.bytes);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.startsWith(PDF_BANNER)).toBe(true);
    const text = pages.join("\n");
    for (const n of [1, 60, 120]) expect(text).toContain(`第${n}行 合同条款 Contract clause ${n}`);
  });

  it("refuses what is not a PDF", async () => {
    await expect(redactDocument(Buffer.from("%PDF-1.7 nothing else"), "application/pdf")).rejects.toMatchObject({ code: "redaction_corrupt" });
  });
});

describe.skipIf(skipOcr)("redactDocument: scanned PDF (OCR)", () => {
  it("places a page without a text layer as a picture with boxes burned in", async () => {
    const scan = await makeScannedPdf([await renderPng(await makePdf())]);
    expect(canariesIn(await ocrText(await renderPng(scan)))).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile]));
    const out = await redactDocument(scan, "application/pdf", { marked: [CANARY.marked] });
    expect(out.removed).toMatchObject({ resident_id: 1, mobile: 1, marked: 1 });
    const seen = await ocrText(await renderPng(out.bytes));
    expect(canariesIn(seen)).toEqual([]);
    expect(seen).toContain("劳动合同纠纷");
    expect((await pagesOf(out.bytes))[0]!.trim()).toBe(PDF_BANNER);
  });
});
