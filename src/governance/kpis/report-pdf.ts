/**
 * The quarterly report as PDF: pdf-lib with the CJK TrueType font (Debian fonts-droid-fallback) for
 * Chinese and Helvetica for Latin letters and digits, which that font lacks. Each KPI gets its value,
 * target, whether it was met, the counts behind it and a four-quarter trend table. Without the font
 * the report is refused (`report_font_missing`) rather than printed with missing glyphs.
 */
import { readFile } from "node:fs/promises";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from "pdf-lib";
import { AppError } from "../../platform/errors.js";
import { CJK_FONT_PATH } from "../../records/documents/redaction/pdf.js";
import { type KpiFigure, PPM } from "./kpi.js";
import type { QuarterlyReportData } from "./quarterly-report.js";
import { percent, REPORT_LABELS, type ReportLanguage } from "./report-labels.js";

export const ReportFontMissingError = () => new AppError(503, "report_font_missing", "The server lacks the font the PDF report needs.");

const PAGE: [number, number] = [595.28, 841.89]; // A4
const MARGIN = 50;
const BLACK = rgb(0, 0, 0);
const GREY = rgb(0.4, 0.4, 0.4);
const GREEN = rgb(0.05, 0.45, 0.15);
const RED = rgb(0.7, 0.1, 0.1);

interface Fonts {
  cjk: PDFFont;
  latin: PDFFont;
  bold: PDFFont;
  latinSet: Set<number>;
  hasCjk: (c: number) => boolean;
}

class Writer {
  page: PDFPage;
  y: number;
  constructor(
    readonly pdf: PDFDocument,
    readonly fonts: Fonts,
  ) {
    this.page = pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  need(height: number): void {
    if (this.y - height >= MARGIN) return;
    this.page = this.pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  /** One line at x; Latin characters in Helvetica (bold when asked), the rest in the CJK font. */
  draw(text: string, x: number, size: number, color = BLACK, bold = false): void {
    for (const run of runs(text, this.fonts, bold)) {
      this.page.drawText(run.text, { x, y: this.y, size, font: run.font, color });
      x += run.font.widthOfTextAtSize(run.text, size);
    }
  }

  line(text: string, size = 10.5, color = BLACK, bold = false, indent = 0): void {
    this.need(size * 1.6);
    this.y -= size * 1.6;
    this.draw(text, MARGIN + indent, size, color, bold);
  }

  /** A row of cells at fixed column offsets. */
  row(cells: readonly string[], columns: readonly number[], size = 9.5, color = BLACK, bold = false): void {
    this.need(size * 1.6);
    this.y -= size * 1.6;
    cells.forEach((cell, i) => this.draw(cell, MARGIN + columns[i]!, size, color, bold));
  }

  gap(height: number): void {
    this.y -= height;
  }
}

function runs(text: string, fonts: Fonts, bold: boolean): { text: string; font: PDFFont }[] {
  const out: { text: string; font: PDFFont }[] = [];
  const latin = bold ? fonts.bold : fonts.latin;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const [t, font] = fonts.latinSet.has(c) ? [ch, latin] : fonts.hasCjk(c) ? [ch, fonts.cjk] : ["?", latin];
    const last = out[out.length - 1];
    if (last !== undefined && last.font === font) last.text += t;
    else out.push({ text: t, font });
  }
  return out;
}

async function loadFonts(pdf: PDFDocument): Promise<Fonts> {
  let data: Buffer;
  try {
    data = await readFile(CJK_FONT_PATH);
  } catch {
    throw ReportFontMissingError();
  }
  pdf.registerFontkit(fontkit);
  // Not subset: fontkit's subset of this font loses glyphs when rendered (as for redacted copies).
  const cjk = await pdf.embedFont(data, { subset: false });
  const latin = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const face = fontkit.create(data) as unknown as { hasGlyphForCodePoint(c: number): boolean };
  return { cjk, latin, bold, latinSet: new Set(latin.getCharacterSet()), hasCjk: (c) => face.hasGlyphForCodePoint(c) };
}

/** A local time in the firm's zone, `YYYY-MM-DD HH:mm`. */
export const localTime = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

export const targetText = (k: Pick<KpiFigure, "target" | "direction">, language: ReportLanguage) =>
  `${k.direction === "at_least" ? REPORT_LABELS[language].atLeast : REPORT_LABELS[language].atMost} ${percent(Math.round(k.target * PPM) / PPM)}`;

export const metText = (met: boolean | null, language: ReportLanguage) =>
  met === null ? REPORT_LABELS[language].noValue : met ? REPORT_LABELS[language].yes : REPORT_LABELS[language].no;

export async function renderReportPdf(data: QuarterlyReportData, language: ReportLanguage): Promise<Buffer> {
  const L = REPORT_LABELS[language];
  const { reading, trend } = data;
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${L.title} ${reading.period.label}`);
  pdf.setProducer("Custodia");
  pdf.setCreator("Custodia");
  pdf.setLanguage(language === "zh" ? "zh-CN" : "en");
  const w = new Writer(pdf, await loadFonts(pdf));
  w.line(`Custodia ${L.title}`, 18, BLACK, true);
  w.line(L.subtitle(reading.period.label, reading.timeZone), 12, GREY);
  w.line(`${L.generatedAt}: ${localTime(data.generatedAt, reading.timeZone)}    ${L.asOf}: ${localTime(reading.asOf, reading.timeZone)}`, 9.5, GREY);
  w.gap(8);
  for (const k of reading.kpis) {
    w.need(150);
    w.gap(10);
    w.line(L.names[k.code], 13.5, BLACK, true);
    w.line(
      `${L.value}: ${percent(k.value)}    ${L.target}: ${targetText(k, language)}    ${L.met}: ${metText(k.met, language)}`,
      10.5,
      k.met === false ? RED : k.met ? GREEN : BLACK,
    );
    w.line(`${L.figures}: ${k.numerator}/${k.denominator}  (${L.counts[k.counts.numerator]} / ${L.counts[k.counts.denominator]})`, 10);
    const notCounted = k.recordsTotal === 0 ? 0 : k.records.filter((r) => !r.counted).length;
    w.line(`${L.records}: ${k.recordsTotal}${notCounted ? `  (${L.notCounted}: ${notCounted})` : ""}`, 10, GREY);
    const series = trend.series.find((s) => s.code === k.code);
    if (series) {
      w.line(L.trend, 9.5, GREY, true, 12);
      const columns = [12, 110, 200, 300];
      w.row([L.period, L.value, L.figures, L.met], columns, 9, GREY, true);
      for (const p of series.points) w.row([p.period, percent(p.value), `${p.numerator}/${p.denominator}`, metText(p.met, language)], columns, 9);
    }
  }
  return Buffer.from(await pdf.save());
}
