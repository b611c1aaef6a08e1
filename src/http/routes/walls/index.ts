import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Services } from "../../../platform/services.js";
import { createWall, readWall } from "../../../access/walls/wall-creator.js";
import { listWalls } from "../../../access/walls/wall-lister.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { WallCreateSchema, WallIdParams, WallSchema } from "./schema.js";
import { PageQuery } from "../clients/schema.js";
import { WallLiftedSchema, WallLiftSchema, WallPageSchema, WallRecordSchema } from "./schema.js";
import { wallAbilities } from "../../../access/policy/abilities.js";
import { liftWall } from "../../../access/walls/wall-lifter.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

export const wallRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/walls",
      {
        schema: {
          tags: ["walls"],
          summary: "Raise an ethical wall (partners and compliance)",
          body: WallCreateSchema,
          response: { 201: WallSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createWall(services, contextOf(request), request.body)),
    );

    app.get(
      "/walls",
      {
        schema: {
          tags: ["walls"],
          summary: "Ethical walls, newest first (partners and compliance)",
          querystring: PageQuery,
          response: { 200: WallPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const page = await listWalls(services, ctx, request.query);
        return { ...page, items: page.items.map((wall) => ({ ...wall, abilities: wallAbilities(ctx.actor, wall) })) };
      },
    );

    app.post(
      "/walls/:id/lift",
      {
        schema: {
          tags: ["walls"],
          summary: "Lift an ethical wall (compliance or the wall's owner; never a screened user)",
          params: WallIdParams,
          body: WallLiftSchema,
          response: { 200: WallLiftedSchema, ...errors, 409: ErrorSchema },
        },
      },
      async (request) => liftWall(services, contextOf(request), request.params.id, request.body),
    );

    app.get(
      "/walls/:id",
      {
        schema: {
          tags: ["walls"],
          summary: "Read an ethical wall (partners and compliance), with what the caller may do with it (abilities)",
          params: WallIdParams,
          response: { 200: WallRecordSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        const wall = await readWall(services, ctx, request.params.id);
        return { ...wall, abilities: wallAbilities(ctx.actor, wall) };
      },
    );
  };
