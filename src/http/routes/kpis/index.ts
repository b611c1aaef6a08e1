import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listKpiTargets, readKpis, readKpiTrend, setKpiTarget } from "../../../governance/kpis/kpi-queries.js";
import { quarterlyReport } from "../../../governance/kpis/quarterly-report.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { contentDisposition } from "../../content-disposition.js";
import { ErrorSchema } from "../clients/schema.js";
import { kpiChartRoutes } from "./charts.js";
import {
  KpiCodeParams,
  KpiReadingSchema,
  KpiReadQuery,
  KpiTargetListSchema,
  KpiTargetSchema,
  KpiTargetUpdateSchema,
  KpiTrendQuery,
  KpiTrendSchema,
  QuarterlyReportQuery,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const tags = ["kpis"];

/**
 * KPIs (issue #14, GOV-6): the figures of a month or quarter with the records behind them, their
 * trend, the targets and the quarterly report. Reading takes `kpi.read` (partners, compliance,
 * auditors), editing a target `kpi.manage` (compliance); every call is audited. The request clock
 * (`settings.now`) decides which period is current, as for the request list.
 */
export const kpiRoutes =
  (services: Services, settings: Pick<RequestSettings, "now">): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(kpiChartRoutes(services, settings));
    app.get(
      "/kpis",
      {
        schema: {
          tags,
          summary: "Every KPI of a month or quarter: value, target, met, numerator, denominator and the records behind it (ids and references only)",
          querystring: KpiReadQuery,
          response: { 200: KpiReadingSchema, ...errors },
        },
      },
      async (request) => readKpis(services, contextOf(request), { period: request.query.period, now: settings.now() }),
    );
    app.get(
      "/kpis/trend",
      {
        schema: {
          tags,
          summary: "Each KPI per month (last 12) or per quarter (last 8), computed from the records",
          querystring: KpiTrendQuery,
          response: { 200: KpiTrendSchema, ...errors },
        },
      },
      async (request) => readKpiTrend(services, contextOf(request), { ...request.query, now: settings.now() }),
    );
    app.get(
      "/kpis/targets",
      { schema: { tags, summary: "The KPI targets (editable data)", response: { 200: KpiTargetListSchema, ...errors } } },
      async (request) => listKpiTargets(services, contextOf(request)),
    );
    app.put(
      "/kpis/targets/:code",
      {
        schema: {
          tags,
          summary: "Set a KPI's target (compliance)",
          params: KpiCodeParams,
          body: KpiTargetUpdateSchema,
          response: { 200: KpiTargetSchema, ...errors },
        },
      },
      async (request) => setKpiTarget(services, contextOf(request), request.params.code, request.body.target),
    );
    app.get(
      "/kpis/reports/quarterly",
      {
        schema: {
          tags,
          summary: "The quarterly KPI report as PDF (Chinese by default, lang=en for English) or XLSX",
          querystring: QuarterlyReportQuery,
        },
        // No response schema: the answer is the file (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const { quarter, format, lang } = request.query;
        const file = await quarterlyReport(services, contextOf(request), { quarter, format, language: lang, now: settings.now() });
        return reply
          .header("content-type", file.mediaType)
          .header("content-disposition", contentDisposition(`kpi-report-${quarter}`, file.filename))
          .header("cache-control", "no-store")
          .send(file.bytes);
      },
    );
  };
