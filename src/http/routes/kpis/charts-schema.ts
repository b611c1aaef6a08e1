import { z } from "zod";
import { DEADLINE_BUCKETS } from "../../../governance/kpis/charts.js";
import { SEVERITIES } from "../../../response/detection/rules.js";

export const KpiChartsQuery = z.object({
  weeks: z.coerce.number().int().min(1).max(52).default(12).describe("How many ISO weeks, ending with the current one (firm's time zone); default 12"),
});
export type KpiChartsRequest = z.infer<typeof KpiChartsQuery>;

const WeekSchema = z.object({
  label: z.string().describe("ISO week, 2026-W27"),
  firstDay: z.string().describe("Its Monday, YYYY-MM-DD"),
  endDay: z.string().describe("The next Monday (exclusive)"),
  from: z.string(),
  to: z.string(),
});
const PerWeek = z.array(z.number()).describe("One count per week, aligned with `weeks`");
const SeveritySeriesSchema = z.array(z.object({ severity: z.enum(SEVERITIES), counts: PerWeek }));

export const KpiChartsSchema = z.object({
  timeZone: z.string(),
  asOf: z.string(),
  weeks: z.array(WeekSchema),
  requestsByDeadline: z.array(z.object({ bucket: z.enum(DEADLINE_BUCKETS), count: z.number() })).describe("Open data-subject requests by deadline"),
  alertsBySeverity: SeveritySeriesSchema,
  incidentsBySeverity: SeveritySeriesSchema.describe("By the week the firm became aware"),
  accessByPurpose: z.array(z.object({ purpose: z.string().nullable(), count: z.number() })).describe("Successful reads of client data in the window"),
  accessByRole: z.array(z.object({ role: z.string().nullable(), count: z.number() })),
  deniedReads: PerWeek.describe("Reads of client data refused"),
  breakGlassReads: PerWeek.describe("Reads of client data under break-glass"),
  approvalCompliance: z.object({
    target: z.number(),
    points: z.array(z.object({ value: z.number().nullable(), numerator: z.number(), denominator: z.number(), met: z.boolean().nullable() })),
  }),
});
