import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { readKpiCharts } from "../../../governance/kpis/charts.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { KpiChartsQuery, KpiChartsSchema } from "./charts-schema.js";

/**
 * The KPI charts (issue #15): aggregate counts per ISO week for the console's charts tab. Reading
 * takes `kpi.read` and is audited, as for the figures; the request clock decides the current week.
 */
export const kpiChartRoutes =
  (services: Services, settings: Pick<RequestSettings, "now">): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/kpis/charts",
      {
        schema: {
          tags: ["kpis"],
          summary:
            "Counts for the KPI charts over the last N weeks: open requests by deadline, alerts and incidents by severity, reads of client data by purpose and role, refused and break-glass reads, approval compliance (no personal data)",
          querystring: KpiChartsQuery,
          response: { 200: KpiChartsSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => readKpiCharts(services, contextOf(request), { weeks: request.query.weeks, now: settings.now() }),
    );
  };
