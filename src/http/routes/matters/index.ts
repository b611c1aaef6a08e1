import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { closeMatter } from "../../../records/matters/matter-closer.js";
import { createMatter } from "../../../records/matters/matter-creator.js";
import { listMatters } from "../../../records/matters/matter-lister.js";
import { listClientMatters, readMatter } from "../../../records/matters/matter-reader.js";
import { addMatterMember, removeMatterMember } from "../../../records/matters/matter-team.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ClientIdParams, ErrorSchema } from "../clients/schema.js";
import { MatterCreateSchema, MatterIdParams, MatterMemberParams, MatterMemberSchema, MatterSchema } from "./schema.js";
import { MatterListQuery, MatterPageSchema, MatterRecordSchema } from "./schema.js";

const purposeHeader = z.object({ "x-purpose": z.string().optional().describe("Purpose code (required: titles may name the parties)") });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const matterRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/matters",
      {
        schema: { tags: ["matters"], summary: "Open a matter for a client", body: MatterCreateSchema, response: { 201: MatterSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createMatter(services, contextOf(request), request.body)),
    );

    app.get(
      "/matters",
      {
        schema: {
          tags: ["matters"],
          summary: "The matters the caller may see, newest first (team members and firm-wide roles; never across a wall)",
          querystring: MatterListQuery,
          headers: purposeHeader,
          response: { 200: MatterPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => listMatters(services, contextOf(request), request.query),
    );

    app.get(
      "/matters/:id",
      {
        schema: {
          tags: ["matters"],
          summary: "Read a matter (team members and firm-wide roles; never across a wall), with what the caller may do with it (abilities)",
          params: MatterIdParams,
          headers: purposeHeader,
          response: { 200: MatterRecordSchema, ...errors },
        },
      },
      async (request) => readMatter(services, contextOf(request), request.params.id),
    );

    app.get(
      "/clients/:id/matters",
      {
        schema: {
          tags: ["matters"],
          summary: "The client's matters the caller may see",
          params: ClientIdParams,
          headers: purposeHeader,
          response: { 200: z.object({ items: z.array(MatterSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listClientMatters(services, contextOf(request), request.params.id) }),
    );

    app.post(
      "/matters/:id/members",
      {
        schema: {
          tags: ["matters"],
          summary: "Add a team member or change their matter role",
          params: MatterIdParams,
          body: MatterMemberSchema,
          response: { 200: MatterRecordSchema, ...errors },
        },
      },
      async (request) => addMatterMember(services, contextOf(request), request.params.id, request.body),
    );

    app.delete(
      "/matters/:id/members/:userId",
      {
        schema: {
          tags: ["matters"],
          summary: "Remove a team member (access ends at once)",
          params: MatterMemberParams,
          response: { 200: MatterRecordSchema, ...errors },
        },
      },
      async (request) => removeMatterMember(services, contextOf(request), request.params.id, request.params.userId),
    );

    app.post(
      "/matters/:id/close",
      {
        schema: {
          tags: ["matters"],
          summary: "Close a matter (its team loses access through it)",
          params: MatterIdParams,
          response: { 200: MatterRecordSchema, ...errors },
        },
      },
      async (request) => closeMatter(services, contextOf(request), request.params.id),
    );
  };
