/**
 * The quarterly KPI report (GOV-6): every KPI of a quarter with its value, target, whether it was
 * met, the figures and records behind it and a trend over the last four quarters, as PDF (pdf-lib,
 * the CJK font embedded: Chinese by default, English on request) or XLSX (exceljs: a summary sheet,
 * one sheet of records per KPI, a trend sheet). Generating one takes `kpi.read` and is audited as
 * `kpi.report`; the figures are read in that transaction, the file is rendered after it commits.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { firmTimeZone } from "../../rights/requests/request-store.js";
import { PeriodInvalidError } from "./kpi.js";
import { type KpiReading, type KpiTrend, measureKpis, measureTrend, REPORT_RECORD_LIMIT } from "./kpi-queries.js";
import { parsePeriod } from "./period.js";
import type { ReportLanguage } from "./report-labels.js";
import { renderReportPdf } from "./report-pdf.js";
import { renderReportXlsx } from "./report-xlsx.js";

export type ReportFormat = "pdf" | "xlsx";

export interface QuarterlyReportData {
  reading: KpiReading;
  trend: KpiTrend;
  generatedAt: string;
}

export interface RenderedReport {
  bytes: Buffer;
  mediaType: string;
  filename: string;
}

export const REPORT_MEDIA_TYPES: Readonly<Record<ReportFormat, string>> = Object.freeze({
  pdf: "application/pdf",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
});

const TREND_QUARTERS = 4;

/** Reads a quarter's figures, records and trend in one audited transaction. */
export async function quarterlyReportData(
  services: Services,
  ctx: RequestContext,
  input: { quarter: string; format: ReportFormat; now: Date },
): Promise<QuarterlyReportData> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "kpi.report", targetType: "kpi", targetId: null, purpose: null };
    const role = authorize(ctx.actor, "kpi.read");
    if (role.effect === "deny") return w.deny(role, event);
    const timeZone = await firmTimeZone(w.tx);
    const quarter = parsePeriod(input.quarter, timeZone);
    if (quarter?.kind !== "quarter") return w.refuse(PeriodInvalidError("quarter"), event, "failure");
    const reading = await measureKpis(w.tx, quarter, input.now, timeZone, REPORT_RECORD_LIMIT);
    const trend = await measureTrend(w.tx, quarter, TREND_QUARTERS, input.now, timeZone);
    w.record({
      ...event,
      outcome: "success",
      details: { quarter: quarter.label, format: input.format, ...Object.fromEntries(reading.kpis.map((k) => [k.code, `${k.numerator}/${k.denominator}`])) },
    });
    return { reading, trend, generatedAt: input.now.toISOString() };
  });
}

/** The quarterly report as a file. */
export async function quarterlyReport(
  services: Services,
  ctx: RequestContext,
  input: { quarter: string; format: ReportFormat; language: ReportLanguage; now: Date },
): Promise<RenderedReport> {
  const data = await quarterlyReportData(services, ctx, input);
  const bytes = input.format === "pdf" ? await renderReportPdf(data, input.language) : await renderReportXlsx(data, input.language);
  return { bytes, mediaType: REPORT_MEDIA_TYPES[input.format], filename: `custodia-kpi-${data.reading.period.label}.${input.format}` };
}
