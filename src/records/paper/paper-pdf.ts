/**
 * PDFs of the paper archive: label sheets (A4, 3 × 8 labels of 70 × 37 mm) with a QR code of the
 * label code, the code in text and the file's reference — never the client's name, so a label on
 * a shelf discloses nobody — and destruction certificates. Chinese text (matter numbers such as
 * 2026-民-0001) is set in the Debian fallback font when it is installed; without it those
 * characters print as "?" rather than the PDF being refused: a label's code and QR are ASCII.
 */
import { readFile } from "node:fs/promises";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import QRCode from "qrcode";
import { CJK_FONT_PATH } from "../documents/redaction/pdf.js";

interface Fonts {
  latin: PDFFont;
  bold: PDFFont;
  cjk: PDFFont | null;
  latinSet: Set<number>;
}

async function loadFonts(pdf: PDFDocument, needCjk: boolean): Promise<Fonts> {
  const latin = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  let cjk: PDFFont | null = null;
  if (needCjk) {
    try {
      const data = await readFile(CJK_FONT_PATH);
      pdf.registerFontkit(fontkit);
      // Not subset: fontkit's subset of this font loses glyphs (see redaction/pdf.ts).
      cjk = await pdf.embedFont(data, { subset: false });
    } catch {
      cjk = null;
    }
  }
  return { latin, bold, cjk, latinSet: new Set(latin.getCharacterSet()) };
}

/** Draws text in runs: Latin in Helvetica (or bold), anything else in the CJK font, or "?" without one. */
function drawMixed(page: PDFPage, fonts: Fonts, text: string, x: number, y: number, size: number, bold = false): number {
  const base = bold ? fonts.bold : fonts.latin;
  let at = x;
  let run = "";
  let runCjk = false;
  const flush = () => {
    if (!run) return;
    const font = runCjk && fonts.cjk ? fonts.cjk : base;
    page.drawText(run, { x: at, y, size, font, color: rgb(0, 0, 0) });
    at += font.widthOfTextAtSize(run, size);
    run = "";
  };
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const isLatin = fonts.latinSet.has(cp);
    const out = isLatin || fonts.cjk ? ch : "?";
    if (run && isLatin === runCjk) flush();
    runCjk = !isLatin;
    run += out;
  }
  flush();
  return at;
}

const hasNonLatin = (texts: readonly string[]) => texts.some((t) => [...t].some((c) => c.codePointAt(0)! > 0xff));

const MM = 72 / 25.4;
const A4 = { width: 210 * MM, height: 297 * MM };
const LABEL = { width: 70 * MM, height: 37 * MM, columns: 3, rows: 8 };

export interface LabelData {
  code: string;
  reference: string;
  level: number;
}

/** One label sheet per 24 labels; the QR code encodes the label code only. */
export async function labelSheetPdf(labels: readonly LabelData[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle("Paper file labels");
  pdf.setProducer("Custodia");
  const fonts = await loadFonts(pdf, hasNonLatin(labels.map((l) => l.reference)));
  const perPage = LABEL.columns * LABEL.rows;
  const marginX = (A4.width - LABEL.columns * LABEL.width) / 2;
  const marginY = (A4.height - LABEL.rows * LABEL.height) / 2;
  let page: PDFPage | null = null;
  labels.forEach((label, i) => {
    if (i % perPage === 0) page = pdf.addPage([A4.width, A4.height]);
    const p = page!;
    const col = i % LABEL.columns;
    const row = Math.floor((i % perPage) / LABEL.columns);
    const x = marginX + col * LABEL.width;
    const top = A4.height - marginY - row * LABEL.height;
    const qr = QRCode.create(label.code, { errorCorrectionLevel: "M" });
    const n = qr.modules.size;
    const side = LABEL.height - 8 * MM;
    const cell = side / n;
    const qx = x + 4 * MM;
    const qy = top - 4 * MM;
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++)
        if (qr.modules.get(r, c)) p.drawRectangle({ x: qx + c * cell, y: qy - (r + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
    const tx = qx + side + 3 * MM;
    drawMixed(p, fonts, label.code, tx, top - 12 * MM, 12, true);
    drawMixed(p, fonts, label.reference, tx, top - 19 * MM, 9);
    drawMixed(p, fonts, `L${label.level}`, tx, top - 26 * MM, 9);
  });
  if (labels.length === 0) pdf.addPage([A4.width, A4.height]);
  return Buffer.from(await pdf.save());
}

export interface CertificateData {
  id: string;
  method: string;
  destroyedOn: string;
  recordedAt: string;
  recordedBy: string;
  witnesses: readonly string[];
  files: readonly { code: string; reference: string }[];
}

const METHOD_TEXT: Record<string, string> = { shredding: "碎纸 / shredding", incineration: "焚毁 / incineration", outsourced: "委托销毁 / outsourced" };

/** The destruction certificate: what was destroyed (codes and references), how, when, witnessed by whom. */
export async function destructionCertificatePdf(data: CertificateData): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Paper destruction certificate ${data.id}`);
  pdf.setProducer("Custodia");
  const fonts = await loadFonts(pdf, true);
  let page = pdf.addPage([A4.width, A4.height]);
  let y = A4.height - 25 * MM;
  const line = (text: string, size = 10, bold = false) => {
    if (y < 20 * MM) {
      page = pdf.addPage([A4.width, A4.height]);
      y = A4.height - 25 * MM;
    }
    drawMixed(page, fonts, text, 20 * MM, y, size, bold);
    y -= size * 1.6;
  };
  line("纸质档案销毁证明 / Paper file destruction certificate", 15, true);
  y -= 6;
  line(`Certificate: ${data.id}`);
  line(`销毁日期 / Destroyed on: ${data.destroyedOn}`);
  line(`方式 / Method: ${METHOD_TEXT[data.method] ?? data.method}`);
  line(`记录人 / Recorded by: ${data.recordedBy} (${data.recordedAt})`);
  line(`见证人 / Witnesses: ${data.witnesses.join(", ")}`);
  y -= 6;
  line(`已销毁档案 / Files destroyed (${data.files.length}):`, 11, true);
  for (const f of data.files) line(`${f.code}    ${f.reference}`);
  y -= 14;
  line("签字 / Signatures: ______________________   ______________________");
  return Buffer.from(await pdf.save());
}
