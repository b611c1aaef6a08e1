import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { readWorkQueues } from "../../../governance/dashboard/work-queues.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { WorkQueuesSchema } from "./schema.js";

/** The caller's work queues (issue #15): the console's home page and its menu counters. */
export const workRoutes =
  (services: Services, settings: Pick<RequestSettings, "now">): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/me/work",
      {
        schema: {
          tags: ["work"],
          summary: "My work queues: counts and the first items of each queue my role and assignments give me",
          description:
            "Queues of assigned work (my matters, approvals I may decide, my access-review items, my training) and, by permission, the firm's (data-subject requests due today or overdue, new alerts, break-glass to review, incident notification duties due within 72 hours). Ids, codes, dates and non-personal references only; walled clients never appear. Audited as work.read with the counts.",
          response: { 200: WorkQueuesSchema, 401: ErrorSchema },
        },
      },
      async (request) => readWorkQueues(services, settings, contextOf(request)),
    );
  };
