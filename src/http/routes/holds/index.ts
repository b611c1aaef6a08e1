import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { HOLD_LIFT_REASONS, HOLD_REASONS, liftHold, listHolds, placeHold } from "../../../rights/holds/legal-hold.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const HoldSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  custodianId: z.string(),
  reason: z.enum(HOLD_REASONS),
  reference: z.string().nullable(),
  reviewDate: z.string(),
  placedBy: z.string(),
  placedAt: z.string(),
  liftedAt: z.string().nullable(),
  liftedBy: z.string().nullable(),
  liftReason: z.string().nullable(),
});
export const HoldCreateSchema = z.strictObject({
  clientId: z.uuid(),
  custodianId: z.uuid(),
  reason: z.enum(HOLD_REASONS),
  reference: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/)
    .optional()
    .describe("Case or docket number; never free text"),
  reviewDate: z.iso.date(),
});
export type HoldCreateRequest = z.infer<typeof HoldCreateSchema>;

/** Legal holds: compliance (`hold.manage`). A hold blocks erasure, by request or directly. */
export const holdRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/holds",
      {
        schema: { tags: ["holds"], summary: "Place a legal hold on a client", body: HoldCreateSchema, response: { 201: HoldSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await placeHold(services, contextOf(request), request.body)),
    );

    app.post(
      "/holds/:id/lift",
      {
        schema: {
          tags: ["holds"],
          summary: "Lift a legal hold",
          params: z.strictObject({ id: z.uuid() }),
          body: z.strictObject({ reason: z.enum(HOLD_LIFT_REASONS) }),
          response: { 200: HoldSchema, ...errors },
        },
      },
      async (request) => liftHold(services, contextOf(request), request.params.id, request.body.reason),
    );

    app.get(
      "/holds",
      {
        schema: {
          tags: ["holds"],
          summary: "Legal holds, newest first",
          querystring: z.strictObject({ clientId: z.uuid().optional(), active: z.enum(["true", "false"]).optional() }),
          response: { 200: z.object({ items: z.array(HoldSchema) }), ...errors },
        },
      },
      async (request) => ({
        items: await listHolds(services, contextOf(request), { clientId: request.query.clientId, active: request.query.active === "true" }),
      }),
    );
  };
