import { z } from "zod";
import { KPI_CODES } from "../../../governance/kpis/kpi.js";

const Period = z.string().regex(/^20\d{2}-(0[1-9]|1[0-2]|Q[1-4])$/, "YYYY-MM or YYYY-Qn");

export const KpiReadQuery = z.object({
  period: Period.optional().describe("A month (2026-11) or quarter (2026-Q4) in the firm's time zone; default: this month"),
});
export type KpiReadRequest = z.infer<typeof KpiReadQuery>;

export const KpiTrendQuery = z.object({
  by: z.enum(["month", "quarter"]).default("month"),
  until: Period.optional().describe("The last period shown; default: the current month or quarter"),
  count: z.coerce.number().int().min(2).max(24).optional().describe("How many periods; default 12 months or 8 quarters"),
});
export type KpiTrendRequest = z.infer<typeof KpiTrendQuery>;

export const QuarterlyReportQuery = z.object({
  quarter: z.string().regex(/^20\d{2}-Q[1-4]$/, "YYYY-Qn"),
  format: z.enum(["pdf", "xlsx"]).default("pdf"),
  lang: z.enum(["zh", "en"]).default("zh").describe("The report's language: Chinese by default"),
});
export type QuarterlyReportRequest = z.infer<typeof QuarterlyReportQuery>;

export const KpiCodeParams = z.object({ code: z.enum(KPI_CODES) });
export const KpiTargetUpdateSchema = z.object({ target: z.number().min(0).max(1).describe("A share: 1 = 100%, 0.005 = 0.5%") }).strict();
export type KpiTargetUpdateRequest = z.infer<typeof KpiTargetUpdateSchema>;

const Code = z.enum(KPI_CODES);
const Direction = z.enum(["at_least", "at_most"]);

export const KpiRecordSchema = z.object({
  type: z.enum(["audit_event", "incident", "client", "document", "client_request", "access_review_item", "training_assignment"]),
  id: z.string(),
  reference: z.string().describe("A non-personal label: a prefixed short id or an action code"),
  at: z.string().nullable(),
  counted: z.boolean().describe("In the numerator"),
  detail: z.string().describe("A code saying why the record counts or not"),
  parentId: z.string().nullable().describe("A document's client, a review item's campaign, a training obligation's course"),
});

const PeriodSchema = z.object({
  label: z.string(),
  kind: z.enum(["month", "quarter"]),
  firstDay: z.string(),
  endDay: z.string(),
  from: z.string(),
  to: z.string(),
});

export const KpiViewSchema = z.object({
  code: Code,
  value: z.number().nullable(),
  numerator: z.number(),
  denominator: z.number(),
  target: z.number(),
  direction: Direction,
  met: z.boolean().nullable(),
  counts: z.object({ numerator: z.string(), denominator: z.string() }),
  records: z.array(KpiRecordSchema).describe("Records behind the figure, those not counted first, at most 500"),
  recordsTotal: z.number(),
});

export const KpiReadingSchema = z.object({ period: PeriodSchema, timeZone: z.string(), asOf: z.string(), kpis: z.array(KpiViewSchema) });

export const KpiTrendSchema = z.object({
  by: z.enum(["month", "quarter"]),
  timeZone: z.string(),
  periods: z.array(z.string()),
  series: z.array(
    z.object({
      code: Code,
      target: z.number(),
      direction: Direction,
      points: z.array(
        z.object({ period: z.string(), value: z.number().nullable(), numerator: z.number(), denominator: z.number(), met: z.boolean().nullable() }),
      ),
    }),
  ),
});

export const KpiTargetSchema = z.object({ code: Code, target: z.number(), direction: Direction, updatedAt: z.string(), updatedBy: z.string().nullable() });
export const KpiTargetListSchema = z.object({ items: z.array(KpiTargetSchema) });
