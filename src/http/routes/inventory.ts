import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { buildInventory } from "../../records/inventory/inventory.js";
import type { Services } from "../../platform/services.js";
import { contextOf } from "../authenticate.js";
import { ErrorSchema } from "./clients/schema.js";

export const inventoryRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/inventory",
      {
        schema: {
          tags: ["inventory"],
          summary: "Data inventory: what is held, how it is stored, why, and who may see it",
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  dataset: z.string(),
                  field: z.string(),
                  labelZh: z.string(),
                  labelEn: z.string(),
                  category: z.string(),
                  level: z.string(),
                  required: z.boolean(),
                  storage: z.string(),
                  searchable: z.boolean(),
                  purposeZh: z.string(),
                  purposeEn: z.string(),
                  readableBy: z.array(z.string()),
                  maskedFor: z.array(z.string()),
                  retention: z.string(),
                }),
              ),
              purposes: z.array(z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string(), description: z.string() })),
            }),
            401: ErrorSchema,
            403: ErrorSchema,
          },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return runAudited(services, ctx, async (w) => {
          const event = { action: "inventory.read", targetType: null, targetId: null, purpose: null };
          const decision = authorize(ctx.actor, "inventory.read");
          if (decision.effect === "deny") return w.deny(decision, event);
          w.record({ ...event, outcome: "success" });
          return { items: buildInventory(), purposes: await services.purposes.list(w.tx) };
        });
      },
    );
  };
