import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listAlerts, transitionAlert } from "../../../response/detection/alert-commands.js";
import { listRules, updateRule } from "../../../response/detection/rule-commands.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { AlertDismissSchema, AlertIdParams, AlertListQuery, AlertSchema, RuleCodeParams, RuleSchema, RuleUpdateSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

/** Alerts (AUD-2) and the detection rules behind them. Reading: alert.read; changing: compliance. */
export const detectionRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/alerts",
      {
        schema: {
          tags: ["detection"],
          summary: "List alerts, newest first",
          querystring: AlertListQuery,
          response: { 200: z.object({ items: z.array(AlertSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listAlerts(services, contextOf(request), request.query) }),
    );

    app.post(
      "/alerts/:id/acknowledge",
      {
        schema: { tags: ["detection"], summary: "Acknowledge an alert (compliance)", params: AlertIdParams, response: { 200: AlertSchema, ...errors } },
      },
      async (request) => transitionAlert(services, contextOf(request), request.params.id, { to: "acknowledged" }),
    );

    app.post(
      "/alerts/:id/dismiss",
      {
        schema: {
          tags: ["detection"],
          summary: "Dismiss an alert with a reason code (compliance)",
          params: AlertIdParams,
          body: AlertDismissSchema,
          response: { 200: AlertSchema, ...errors },
        },
      },
      async (request) => transitionAlert(services, contextOf(request), request.params.id, { to: "dismissed", reason: request.body.reason }),
    );

    app.get(
      "/detection-rules",
      {
        schema: { tags: ["detection"], summary: "List detection rules", response: { 200: z.object({ items: z.array(RuleSchema) }), ...errors } },
      },
      async (request) => ({ items: await listRules(services, contextOf(request)) }),
    );

    app.patch(
      "/detection-rules/:code",
      {
        schema: {
          tags: ["detection"],
          summary: "Tune a rule: thresholds, windows, severity, containment (compliance)",
          params: RuleCodeParams,
          body: RuleUpdateSchema,
          response: { 200: RuleSchema, ...errors },
        },
      },
      async (request) => updateRule(services, contextOf(request), request.params.code, request.body),
    );
  };
