import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  listMyActiveBreakGlass,
  listPendingBreakGlass,
  openBreakGlassAccess,
  reviewBreakGlassAccess,
} from "../../../access/break-glass/break-glass-commands.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ClientIdParams, ErrorSchema } from "../clients/schema.js";
import { BreakGlassIdParams, BreakGlassOpenedSchema, BreakGlassOpenSchema, BreakGlassReviewSchema, BreakGlassSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };

export const breakGlassRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/clients/:id/break-glass",
      {
        schema: {
          tags: ["break-glass"],
          summary: "Open emergency access to a client (30 min; overrides need-to-know and walls; alerts compliance; reviewed afterwards)",
          params: ClientIdParams,
          body: BreakGlassOpenSchema,
          response: { 201: BreakGlassOpenedSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await openBreakGlassAccess(services, contextOf(request), request.params.id, request.body)),
    );

    app.get(
      "/break-glass/mine",
      {
        schema: {
          tags: ["break-glass"],
          summary: "Your own break-glass accesses still open (audited)",
          response: { 200: z.object({ items: z.array(BreakGlassSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listMyActiveBreakGlass(services, contextOf(request)) }),
    );

    app.get(
      "/break-glass",
      {
        schema: {
          tags: ["break-glass"],
          summary: "Break-glass accesses waiting for review (compliance)",
          response: { 200: z.object({ items: z.array(BreakGlassSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listPendingBreakGlass(services, contextOf(request)) }),
    );

    app.post(
      "/break-glass/:id/review",
      {
        schema: {
          tags: ["break-glass"],
          summary: "Review a break-glass access after the fact (compliance)",
          params: BreakGlassIdParams,
          body: BreakGlassReviewSchema,
          response: { 200: BreakGlassSchema, ...errors },
        },
      },
      async (request) => reviewBreakGlassAccess(services, contextOf(request), request.params.id, request.body),
    );
  };
