/**
 * Test support only (imports dev dependencies): client documents generated in memory, so no binary
 * fixture is committed and every canary is visible in the test source. Other document tests
 * (redaction, watermarks, the canary upload test) can build their files here too.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import fontkit from "@pdf-lib/fontkit";
import { Document, Footer, FootnoteReferenceRun, Header, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import ExcelJS from "exceljs";
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts } from "pdf-lib";

/** Valid identifiers (the resident ID passes MOD 11-2) and a name after its label. */
export const CANARY = {
  residentId: "11010519491231002X",
  mobile: "13800138000",
  name: "张三",
  email: "zhangsan@example.cn",
} as const;

/** A plain TTF with CJK glyphs (fonts-droid-fallback); the Noto CJK fonts are collections pdf-lib cannot embed. */
export const CJK_FONT = "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf";

export interface DocxContent {
  paragraphs: readonly string[];
  table?: readonly (readonly string[])[];
  header?: string;
  footer?: string;
  footnote?: string;
}

export async function makeDocx(content: DocxContent): Promise<Buffer> {
  const body: (Paragraph | Table)[] = content.paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] }));
  if (content.footnote !== undefined) {
    body.push(new Paragraph({ children: [new TextRun("见脚注"), new FootnoteReferenceRun({ children: [new Paragraph(content.footnote)] })] }));
  }
  if (content.table !== undefined) {
    const rows = content.table.map((cells) => new TableRow({ children: cells.map((cell) => new TableCell({ children: [new Paragraph(cell)] })) }));
    body.push(new Table({ rows }));
  }
  const doc = new Document({
    sections: [
      {
        ...(content.header === undefined ? {} : { headers: { default: new Header({ children: [new Paragraph(content.header)] }) } }),
        ...(content.footer === undefined ? {} : { footers: { default: new Footer({ children: [new Paragraph(content.footer)] }) } }),
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export type XlsxCell = string | number | Date | { richText: { text: string }[] } | { formula: string; result: string | number };

/** One worksheet per entry, rows of cells from A1. */
export async function makeXlsx(sheets: Readonly<Record<string, readonly (readonly XlsxCell[])[]>>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow([...row]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const CJK_CHAR = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/u;

/** Draws a line run by run: CJK from the fallback font (which has no Latin digits), the rest in Helvetica. */
function drawMixed(page: PDFPage, line: string, y: number, size: number, cjk: PDFFont, latin: PDFFont): void {
  let x = 50;
  for (const run of line.match(/[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+|[^\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]+/gu) ?? []) {
    const font = CJK_CHAR.test(run) ? cjk : latin;
    page.drawText(run, { x, y, size, font });
    x += font.widthOfTextAtSize(run, size);
  }
}

/** A PDF with a text layer, one page per entry, one line per string. */
export async function makePdf(pages: readonly (readonly string[])[], size = 20): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  // Not subset: fontkit's subsetting of this font drops most glyphs.
  const cjk = await pdf.embedFont(await readFile(CJK_FONT), { subset: false });
  const latin = await pdf.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = pdf.addPage([595, 842]);
    lines.forEach((line, i) => drawMixed(page, line, 780 - i * size * 2, size, cjk, latin));
  }
  return Buffer.from(await pdf.save());
}

/** Page `page` of a PDF as a PNG, through poppler's pdftoppm on pipes (nothing on disk). */
export function renderPng(pdf: Buffer, page = 1, dpi = 200): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("pdftoppm", ["-r", String(dpi), "-png", "-f", String(page), "-l", String(page), "-singlefile", "-"], {
      stdio: ["pipe", "pipe", "ignore"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`pdftoppm exited with ${code}`))));
    child.stdin.on("error", () => {});
    child.stdin.end(pdf);
  });
}

/** A "scanned" PDF: each page only an image, no text layer. */
export async function makeScannedPdf(pngs: readonly Buffer[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  for (const png of pngs) {
    const image = await pdf.embedPng(png);
    const page = pdf.addPage([595, 842]);
    page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await pdf.save());
}
