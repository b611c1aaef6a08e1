/**
 * Test support only (imports dev dependencies): client documents with canaries, built in memory so
 * every canary is visible in the test source, and the checks that a redacted copy holds none.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import fontkit from "@pdf-lib/fontkit";
import {
  CommentRangeEnd,
  CommentRangeStart,
  CommentReference,
  Document,
  Footer,
  FootnoteReferenceRun,
  Header,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from "docx";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from "pdf-lib";

/** Each resident ID, card and phone passes its check (the tests assert the detector finds them first). */
export const CANARY = {
  residentId: "11010519491231002X",
  mobile: "13800138000",
  bankCard: "6222 0212 3456 7894",
  name: "张三",
  email: "zhangsan@example.cn",
  /** Not personal data the detector knows: a user marks it. */
  marked: "华星科技",
} as const;

/** Text that is no personal data and must survive. */
export const KEPT = ["合同", "Contract", "劳动合同纠纷"] as const;

/** The forms a canary could be found in: as written, digits without separators, and the halves Word may split it into. */
export function canaryForms(): string[] {
  const forms = new Set<string>(Object.values(CANARY));
  for (const v of [CANARY.residentId, CANARY.mobile, CANARY.bankCard]) forms.add(v.replace(/\D/g, ""));
  forms.add(CANARY.bankCard.replace(/ /g, ""));
  forms.add(CANARY.residentId.slice(0, 8)).add(CANARY.residentId.slice(8));
  forms.add("zhangsan");
  return [...forms];
}

/** The canary forms found in `text` (empty when it is clean). */
export const canariesIn = (text: string): string[] => canaryForms().filter((f) => text.includes(f));

/** The canary forms in the raw bytes, in UTF-8, UTF-16 (LE and BE) and hex, and in every inflated ZIP entry or PDF stream. */
export async function canariesInBytes(bytes: Buffer): Promise<string[]> {
  const blobs: Buffer[] = [bytes];
  if (bytes.subarray(0, 2).toString("latin1") === "PK") {
    const zip = await JSZip.loadAsync(bytes);
    for (const file of Object.values(zip.files)) {
      if (file.dir) continue;
      const data = await file.async("nodebuffer");
      blobs.push(data);
      if (data.subarray(0, 2).toString("latin1") === "PK") blobs.push(...(await canaryBlobs(data)));
    }
  }
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") blobs.push(...pdfStreams(bytes));
  const found = new Set<string>();
  for (const blob of blobs) {
    const lowerHex = blob.toString("latin1").toLowerCase();
    for (const form of canaryForms()) {
      const be = Buffer.from(form, "utf16le").swap16();
      if (blob.includes(Buffer.from(form, "utf8")) || blob.includes(Buffer.from(form, "utf16le")) || blob.includes(be)) found.add(form);
      // PDF strings are often written in hex (<3133…>), as bytes or as UTF-16BE.
      if (lowerHex.includes(Buffer.from(form, "utf8").toString("hex")) || lowerHex.includes(be.toString("hex"))) found.add(form);
    }
  }
  return [...found];
}

async function canaryBlobs(zipBytes: Buffer): Promise<Buffer[]> {
  const zip = await JSZip.loadAsync(zipBytes);
  return Promise.all(Object.values(zip.files).map((f) => f.async("nodebuffer")));
}

function pdfStreams(pdf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let at = pdf.indexOf("stream"); at >= 0; at = pdf.indexOf("stream", at + 6)) {
    const start = pdf[at + 6] === 0x0d ? at + 8 : at + 7;
    const end = pdf.indexOf("endstream", start);
    if (end < 0) break;
    try {
      out.push(inflateSync(pdf.subarray(start, end)));
    } catch {
      // Not deflated, or not a stream keyword: the raw bytes are searched anyway.
    }
    at = end;
  }
  return out;
}

const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });

/** A Word document with the canaries in body runs (the ID split across two runs), a table, header, footnote, comment and properties. */
export async function makeDocx(): Promise<Buffer> {
  const doc = new Document({
    creator: CANARY.name,
    lastModifiedBy: CANARY.name,
    title: `${CANARY.name}的合同`,
    description: CANARY.mobile,
    customProperties: [{ name: "ClientId", value: CANARY.residentId }],
    comments: { children: [{ id: 0, author: CANARY.name, initials: "ZS", children: [new Paragraph(`核对卡号 ${CANARY.bankCard}`)] }] },
    footnotes: { 1: { children: [new Paragraph(`联系电话 ${CANARY.mobile}`)] } },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph(`联系邮箱 ${CANARY.email}`)] }) },
        footers: { default: new Footer({ children: [new Paragraph(`${CANARY.marked}有限公司 保密`)] }) },
        children: [
          new Paragraph({ children: [new TextRun("合同 Contract")] }),
          new Paragraph({
            children: [
              new TextRun("身份证号："),
              new TextRun({ text: CANARY.residentId.slice(0, 8), bold: true }),
              new TextRun({ text: CANARY.residentId.slice(8), italics: true, color: "C00000" }),
              new TextRun("，已核验。"),
            ],
          }),
          new Paragraph(`姓名：${CANARY.name}`),
          new Paragraph({ children: [new TextRun(`银行卡号 ${CANARY.bankCard}`), new FootnoteReferenceRun(1)] }),
          new Paragraph({
            children: [
              new CommentRangeStart(0),
              new TextRun(`委托方：${CANARY.marked}有限公司`),
              new CommentRangeEnd(0),
              new TextRun({ children: [new CommentReference(0)] }),
            ],
          }),
          new Table({
            rows: [new TableRow({ children: [cell("手机"), cell(CANARY.mobile)] }), new TableRow({ children: [cell("事项"), cell("劳动合同纠纷")] })],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A Word document whose only content besides a kept line is a picture (PNG) showing the canaries. */
export async function makeDocxWithPicture(png: Buffer): Promise<Buffer> {
  const picture = new ImageRun({
    type: "png",
    data: png,
    transformation: { width: 595, height: 842 },
    altText: { name: "scan", title: "扫描件", description: `身份证号 ${CANARY.residentId}` },
  });
  const doc = new Document({ sections: [{ children: [new Paragraph("合同 Contract"), new Paragraph({ children: [picture] })] }] });
  return Packer.toBuffer(doc);
}

/** A workbook with canaries as text, numbers, rich text, a formula result, a note, a link, a sheet name and properties. */
export async function makeXlsx(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = CANARY.name;
  book.lastModifiedBy = CANARY.name;
  book.title = `${CANARY.name}名单`;
  const sheet = book.addWorksheet("客户");
  sheet.addRow(["姓名", "手机", "身份证号", "银行卡", "备注"]);
  sheet.addRow([
    CANARY.name,
    Number(CANARY.mobile),
    CANARY.residentId,
    Number(CANARY.bankCard.replace(/ /g, "")),
    { richText: [{ text: "卡号 6222 0212 " }, { font: { bold: true }, text: "3456 7894" }] },
  ]);
  sheet.addRow([
    "合同 Contract",
    { formula: 'CONCATENATE("1380013","8000")', result: CANARY.mobile },
    "劳动合同纠纷",
    1200,
    `委托方：${CANARY.marked}有限公司`,
  ]);
  sheet.addRow(["邮件", { text: "写信", hyperlink: `mailto:${CANARY.email}` }]);
  sheet.getCell("A3").note = `客户手机 ${CANARY.mobile}`;
  book.addWorksheet(`${CANARY.marked}往来`).addRow(["往来记录", "合同"]);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A plain TTF with CJK glyphs (fonts-droid-fallback) and no Latin ones. */
export const CJK_FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";
const CJK = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|[^\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+/gu;

function drawMixed(page: PDFPage, line: string, y: number, size: number, cjk: PDFFont, latin: PDFFont): void {
  let x = 50;
  for (const run of line.match(CJK) ?? []) {
    const font = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u.test(run) ? cjk : latin;
    page.drawText(run, { x, y, size, font });
    x += font.widthOfTextAtSize(run, size);
  }
}

export const PDF_LINES = [
  "合同 Contract",
  `身份证号：${CANARY.residentId}`,
  `姓名：${CANARY.name}`,
  `手机 ${CANARY.mobile}`,
  `银行卡号 ${CANARY.bankCard}`,
  `委托方：${CANARY.marked}有限公司`,
  "劳动合同纠纷",
] as const;

/** A PDF with a text layer, one page per entry, one line per string, and the name in its metadata and an attachment. */
export async function makePdf(pages: readonly (readonly string[])[] = [PDF_LINES], size = 20): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  // Not subset: fontkit's subset of this font loses most glyphs when rendered.
  const cjk = await pdf.embedFont(await readFile(CJK_FONT), { subset: false });
  const latin = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.setAuthor(CANARY.name);
  pdf.setTitle(`${CANARY.name} ${CANARY.mobile}`);
  await pdf.attach(Buffer.from(`客户 ${CANARY.name} 身份证号 ${CANARY.residentId}`), "client.txt", { mimeType: "text/plain" });
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => drawMixed(page, line, 780 - i * size * 2, size, cjk, latin));
  }
  return Buffer.from(await pdf.save());
}

/** A "scanned" PDF: each page only a picture, no text layer. */
export async function makeScannedPdf(pngs: readonly Buffer[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const png of pngs) {
    const page = pdf.addPage([595, 842]);
    page.drawImage(await pdf.embedPng(png), { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await pdf.save());
}

/** Runs a program on pipes; resolves with stdout. */
export function pipe(command: string, args: readonly string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"] });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`${command} exited with ${code}`))));
    child.stdin.on("error", () => {});
    child.stdin.end(input);
  });
}

/** Page 1 of a PDF as a PNG at `dpi`, through poppler's pdftoppm. */
export const renderPng = (pdf: Buffer, dpi = 150): Promise<Buffer> =>
  pipe("pdftoppm", ["-png", "-r", String(dpi), "-f", "1", "-l", "1", "-singlefile", "-"], pdf);

/** The text tesseract reads in an image, CJK letters without the spaces it puts between them. */
export async function ocrText(image: Buffer): Promise<string> {
  const text = (await pipe("tesseract", ["stdin", "stdout", "-l", "chi_sim+eng"], image)).toString("utf8");
  return text.replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) +(?=[\u3000-\u9fff\uff00-\uffef])/gu, "");
}
