import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { readDashboard } from "../../../governance/dashboard/console-dashboard.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { DashboardSchema } from "./schema.js";

export const dashboardRoutes =
  (services: Services, settings: Pick<RequestSettings, "now">): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/kpis/dashboard",
      {
        schema: {
          tags: ["kpis"],
          summary: "The console dashboard: encryption coverage, approval compliance, requests, alerts, incidents (compliance, partners, auditors)",
          response: { 200: DashboardSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => readDashboard(services, settings, contextOf(request)),
    );
  };
