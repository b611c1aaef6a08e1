import { z } from "zod";
import { KpiSchema } from "../approvals/schema.js";

export const DashboardSchema = z.object({
  encryptionCoverage: z.object({
    value: z.number().nullable().describe("Share of the inventory's personal-data fields stored sealed"),
    personalFields: z.number(),
    sealedFields: z.number(),
    unsealedFields: z.array(z.string()),
    rowsChecked: z.number().describe("Newest client rows whose stored values were checked"),
  }),
  approvalCompliance: KpiSchema.describe("GET /kpis/approval-compliance over the last 30 days"),
  openRequests: z.number(),
  overdueRequests: z.number(),
  openAlerts: z.number().describe("Alerts not acknowledged, dismissed or escalated"),
  openIncidents: z.number(),
  generatedAt: z.string(),
});
export type DashboardResponse = z.infer<typeof DashboardSchema>;
