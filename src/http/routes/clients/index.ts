import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createClient } from "../../../records/clients/client-creator.js";
import { eraseClient } from "../../../records/clients/client-eraser.js";
import { exportClient } from "../../../records/clients/client-exporter.js";
import { listClients } from "../../../records/clients/client-lister.js";
import { readClient } from "../../../records/clients/client-reader.js";
import { searchClients } from "../../../records/clients/client-searcher.js";
import { updateClient } from "../../../records/clients/client-updater.js";
import { changeClientPurposes } from "../../../records/clients/client-purposes-changer.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ClientCreateSchema, ClientEraseSchema, ClientIdParams, ClientPatchSchema, ClientSchema, ClientSearchQuery, ErrorSchema } from "./schema.js";
import { ClientRecordSchema } from "./schema.js";
import { ClientPageSchema, PageQuery } from "./schema.js";
import { ClientPurposesChangedSchema, ClientPurposesSchema } from "./schema.js";

const purposeHeader = z.object({ "x-purpose": z.string().optional().describe("Purpose code for reading personal data (required)") });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 410: ErrorSchema };

export const clientRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/clients",
      {
        schema: { tags: ["clients"], summary: "Create a client", body: ClientCreateSchema, response: { 201: ClientSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createClient(services, contextOf(request), request.body)),
    );

    app.get(
      "/clients/page",
      {
        schema: {
          tags: ["clients"],
          summary: "The clients the caller may see, newest first (keyset pages; no identifiers, phones or emails)",
          description:
            "Need-to-know and ethical walls apply as for search; walled and erased clients are left out. A page may come back short: follow nextCursor until it is null.",
          querystring: PageQuery,
          headers: purposeHeader,
          response: { 200: ClientPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => listClients(services, contextOf(request), request.query),
    );

    app.get(
      "/clients/:id",
      {
        schema: {
          tags: ["clients"],
          summary: "Read a client under a declared purpose, with what the caller may do with it (abilities)",
          params: ClientIdParams,
          headers: purposeHeader,
          response: { 200: ClientRecordSchema, ...errors },
        },
      },
      async (request) => readClient(services, contextOf(request), request.params.id),
    );

    const search = async (criteria: z.infer<typeof ClientSearchQuery>, ctx: ReturnType<typeof contextOf>) => ({
      items: await searchClients(services, ctx, criteria),
    });
    const searchResponse = { 200: z.object({ items: z.array(ClientSchema) }), ...errors };

    app.get(
      "/clients",
      {
        schema: {
          tags: ["clients"],
          summary: "Exact-match search by blind index",
          description: "Prefer POST /clients/search from browsers: query strings end up in histories and proxy logs.",
          querystring: ClientSearchQuery,
          headers: purposeHeader,
          response: searchResponse,
        },
      },
      async (request) => search(request.query, contextOf(request)),
    );

    app.post(
      "/clients/search",
      {
        schema: {
          tags: ["clients"],
          summary: "Exact-match search, criteria in the body",
          body: ClientSearchQuery,
          headers: purposeHeader,
          response: searchResponse,
        },
      },
      async (request) => search(request.body, contextOf(request)),
    );

    app.get(
      "/clients/:id/export",
      {
        schema: {
          tags: ["clients"],
          summary: "Export a client's data as the caller may see it (needs a current export grant: 403 approval_required otherwise)",
          params: ClientIdParams,
          headers: purposeHeader,
          response: { 200: z.object({ client: ClientSchema, purpose: z.string(), grantId: z.string(), exportedAt: z.string() }), ...errors },
        },
      },
      async (request) => exportClient(services, contextOf(request), request.params.id),
    );

    app.patch(
      "/clients/:id",
      {
        schema: {
          tags: ["clients"],
          summary: "Change fields of a client (null clears); purposes change through PUT /clients/{id}/purposes",
          params: ClientIdParams,
          headers: purposeHeader,
          body: ClientPatchSchema,
          response: { 200: ClientSchema, ...errors, 409: ErrorSchema },
        },
      },
      async (request) => updateClient(services, contextOf(request), request.params.id, request.body),
    );

    app.put(
      "/clients/:id/purposes",
      {
        schema: {
          tags: ["clients"],
          summary: "Replace what a client's record may be used for (compliance, or a responsible partner of an open matter), with a reason code",
          description:
            "No X-Purpose: purposes are codes, not personal data. A purpose resting on consent is added only with the client's current consent (409 purpose_needs_consent); a restricted record answers 409 processing_restricted. PATCH /clients/{id} refuses `purposes`.",
          params: ClientIdParams,
          body: ClientPurposesSchema,
          response: { 200: ClientPurposesChangedSchema, ...errors, 409: ErrorSchema },
        },
      },
      async (request) => changeClientPurposes(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/clients/:id/erase",
      {
        schema: {
          tags: ["clients"],
          summary: "Erase a client by crypto-shredding its data key",
          params: ClientIdParams,
          body: ClientEraseSchema,
          response: { 200: z.object({ id: z.string(), status: z.literal("erased"), erasedAt: z.string() }), ...errors },
        },
      },
      async (request) => eraseClient(services, contextOf(request), request.params.id, request.body),
    );
  };
