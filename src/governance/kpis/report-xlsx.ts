/**
 * The quarterly report as XLSX (exceljs): a summary sheet (one row per KPI), one sheet per KPI
 * listing the records behind it (ids and references, never names), and a trend sheet.
 */
import ExcelJS from "exceljs";
import { KPI_CODES } from "./kpi.js";
import type { QuarterlyReportData } from "./quarterly-report.js";
import { percent, REPORT_LABELS, type ReportLanguage } from "./report-labels.js";
import { localTime, metText, targetText } from "./report-pdf.js";

/** The summary sheet's name; each KPI's sheet is named by its code. */
export const SUMMARY_SHEET = "summary";
export const TREND_SHEET = "trend";

export async function renderReportXlsx(data: QuarterlyReportData, language: ReportLanguage): Promise<Buffer> {
  const L = REPORT_LABELS[language];
  const { reading, trend } = data;
  const book = new ExcelJS.Workbook();
  book.creator = "Custodia";
  book.created = new Date(data.generatedAt);
  const summary = book.addWorksheet(SUMMARY_SHEET);
  summary.addRow([`Custodia ${L.title}`]);
  summary.addRow([L.subtitle(reading.period.label, reading.timeZone)]);
  summary.addRow([L.generatedAt, localTime(data.generatedAt, reading.timeZone), L.asOf, localTime(reading.asOf, reading.timeZone)]);
  summary.addRow([]);
  const header = summary.addRow(["code", L.kpi, L.value, L.numerator, L.denominator, L.target, L.met, L.records]);
  header.font = { bold: true };
  for (const k of reading.kpis)
    summary.addRow([
      k.code,
      L.names[k.code],
      k.value === null ? null : percent(k.value),
      k.numerator,
      k.denominator,
      targetText(k, language),
      metText(k.met, language),
      k.recordsTotal,
    ]);
  summary.columns.forEach((c) => {
    c.width = 18;
  });
  for (const code of KPI_CODES) {
    const k = reading.kpis.find((x) => x.code === code)!;
    const sheet = book.addWorksheet(code);
    const c = L.recordColumns;
    sheet.addRow([c.type, c.reference, c.id, c.parent, c.at, c.counted, c.detail]).font = { bold: true };
    for (const r of k.records) sheet.addRow([r.type, r.reference, r.id, r.parentId ?? "", r.at ?? "", r.counted ? L.yes : L.no, r.detail]);
    if (k.records.length < k.recordsTotal) sheet.addRow([L.truncated(k.records.length, k.recordsTotal)]);
    sheet.columns.forEach((col) => {
      col.width = 22;
    });
  }
  const t = book.addWorksheet(TREND_SHEET);
  t.addRow(["code", L.kpi, ...trend.periods]).font = { bold: true };
  for (const s of trend.series) t.addRow([s.code, L.names[s.code], ...s.points.map((p) => `${percent(p.value)} (${p.numerator}/${p.denominator})`)]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
