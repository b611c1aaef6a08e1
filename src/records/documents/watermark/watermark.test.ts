import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { concatTransformationMatrix, PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it } from "vitest";
import { CJK_FONT, makePdf } from "../content/fixtures.js";
import { encodeCopyToken } from "./copy-token.js";
import { WatermarkError } from "./errors.js";
import { readFingerprints } from "./fingerprint.js";
import { INFO_KEY, watermarkPdf } from "./watermark.js";

const LINES = ["保密 · 张三 · 2026/12/6 13:45（北京时间）", "请求 3f2a1b9c · 仅限本人使用，禁止复制转发"];
const ID_A = Buffer.from("00112233445566778899aabbccddeeff", "hex");
const ID_B = Buffer.from("f0e1d2c3b4a5968778695a4b3c2d1e0f", "hex");
const hasPdftotext = spawnSync("pdftotext", ["-v"]).error === undefined;

async function pageTexts(pdf: Uint8Array): Promise<string[]> {
  return (await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false })).text;
}

const idsOf = (found: { copyId: Buffer; layer: string }[], layer: string) => found.filter((f) => f.layer === layer).map((f) => f.copyId.toString("hex"));

/** What a leaker's tool does to metadata: Info emptied, our key and the trailer /ID removed, saved again. */
async function stripMetadata(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  for (const set of [doc.setTitle, doc.setAuthor, doc.setSubject, doc.setCreator, doc.setProducer]) set.call(doc, "");
  doc.setKeywords([]);
  const info = doc.context.lookup(doc.context.trailerInfo.Info);
  if (info && "delete" in info) (info as { delete(key: PDFName): boolean }).delete(PDFName.of(INFO_KEY));
  doc.context.trailerInfo.ID = undefined;
  return doc.save();
}

describe.skipIf(!existsSync(CJK_FONT))("watermarkPdf", async () => {
  const original = await makePdf([["合同协议 第一页", "甲方：张三"], ["第二页 付款条款"]]);
  const copyA = await watermarkPdf(original, { lines: LINES, copyId: ID_A });
  const copyB = await watermarkPdf(original, { lines: LINES, copyId: ID_B });

  it("stamps every page with the visible lines, keeping the page's own text", async () => {
    const pages = await pageTexts(copyA);
    expect(pages).toHaveLength(2);
    for (const text of pages) for (const line of LINES) expect(text).toContain(line);
    expect(pages[0]).toContain("甲方：张三");
    expect(pages[1]).toContain("付款条款");
    // Tiled: many stamps per page, so cropping a corner leaves others.
    expect(pages[0]!.split(LINES[0]!).length - 1).toBeGreaterThanOrEqual(4);
  });

  it("puts the invisible token on every page", async () => {
    for (const text of await pageTexts(copyA)) expect(text).toContain(encodeCopyToken(ID_A));
  });

  it("lets readFingerprints find the copy id in all three layers", async () => {
    const found = await readFingerprints(copyA);
    for (const layer of ["metadata", "invisible_text", "geometry"]) expect(idsOf(found, layer)).toEqual([ID_A.toString("hex")]);
    expect(await readFingerprints(original)).toEqual([]);
  });

  it("still names the copy from the page content after the metadata is stripped", async () => {
    const stripped = await stripMetadata(copyA);
    const doc = await PDFDocument.load(stripped);
    expect(doc.getTitle() ?? "").toBe("");
    const found = await readFingerprints(stripped);
    expect(idsOf(found, "metadata")).toEqual([]);
    expect(idsOf(found, "invisible_text")).toEqual([ID_A.toString("hex")]);
    expect(idsOf(found, "geometry")).toEqual([ID_A.toString("hex")]);
  });

  it("gives two copies different ids, and a file assembled from both holds both", async () => {
    expect(idsOf(await readFingerprints(copyB), "invisible_text")).toEqual([ID_B.toString("hex")]);
    const assembled = await PDFDocument.create();
    const [pageA] = await assembled.copyPages(await PDFDocument.load(copyA), [0]);
    const [pageB] = await assembled.copyPages(await PDFDocument.load(copyB), [1]);
    assembled.addPage(pageA!);
    assembled.addPage(pageB!);
    const found = await readFingerprints(await assembled.save());
    expect(idsOf(found, "invisible_text").sort()).toEqual([ID_A.toString("hex"), ID_B.toString("hex")].sort());
    expect(idsOf(found, "geometry").sort()).toEqual([ID_A.toString("hex"), ID_B.toString("hex")].sort());
  });

  it("is not thrown off by a page whose own content leaves the coordinate system changed", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage([595, 842]);
    // No q/Q around it: whatever is drawn after this lands scaled and shifted unless the stamp resets it.
    page.pushOperators(concatTransformationMatrix(0.5, 0, 0, 0.5, 100, 100));
    page.drawText("Scaled content", { x: 10, y: 10, size: 12, font });
    const marked = await watermarkPdf(await doc.save(), { lines: LINES, copyId: ID_A });
    const found = await readFingerprints(marked);
    expect(idsOf(found, "geometry")).toEqual([ID_A.toString("hex")]);
    expect(idsOf(found, "invisible_text")).toEqual([ID_A.toString("hex")]);
  });

  it.skipIf(!hasPdftotext)("stays a PDF poppler reads, with the stamp and the token in its text", () => {
    // -raw: content-stream order; poppler's layout order scatters diagonal text glyph by glyph.
    const result = spawnSync("pdftotext", ["-raw", "-enc", "UTF-8", "-", "-"], { input: copyA });
    expect(result.status).toBe(0);
    const text = result.stdout.toString("utf8");
    expect(text).toContain(encodeCopyToken(ID_A));
    expect(text).toContain("甲方：张三");
    for (const line of LINES) expect(text.replace(/\s/g, "")).toContain(line.replace(/\s/g, ""));
    expect(result.stderr.toString()).toBe("");
  });

  it("draws characters neither font has as '?' instead of failing", async () => {
    const odd = await watermarkPdf(original, { lines: ["保密 · 😀 Łukasz · 张三"], copyId: ID_A });
    expect((await pageTexts(odd))[0]).toContain("保密 · ? ?ukasz · 张三");
  });

  it("marks a 50-page PDF in well under a second", async () => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let p = 0; p < 50; p++) {
      const page = doc.addPage([595, 842]);
      for (let l = 0; l < 40; l++) page.drawText(`Page ${p} line ${l}: terms and conditions`, { x: 40, y: 800 - l * 19, size: 11, font });
    }
    const long = await doc.save();
    await watermarkPdf(long, { lines: LINES, copyId: ID_A }); // the font is prepared once per process
    const start = performance.now();
    const marked = await watermarkPdf(long, { lines: LINES, copyId: ID_B });
    const elapsed = performance.now() - start;
    expect((await PDFDocument.load(marked)).getPageCount()).toBe(50);
    // Typically 130-300 ms here; the bound leaves room for a loaded CI machine.
    expect(elapsed).toBeLessThan(2000);
  });

  it("refuses encrypted and unparseable PDFs with watermark_failed", async () => {
    const doc = await PDFDocument.load(original);
    doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: "Standard", V: 2, R: 3 }));
    const encrypted = await doc.save();
    for (const bad of [encrypted, Buffer.from("%PDF-1.7\nnot really"), Buffer.from("hello")]) {
      await expect(watermarkPdf(bad, { lines: LINES, copyId: ID_A })).rejects.toMatchObject({ name: "WatermarkError", code: "watermark_failed" });
    }
    await expect(watermarkPdf(original, { lines: LINES, copyId: Buffer.alloc(8) })).rejects.toThrow(RangeError);
    expect(new WatermarkError("watermark_failed").message).not.toMatch(/张三/);
  });
});
