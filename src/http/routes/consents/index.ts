import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { recordConsent, withdrawConsent } from "../../../rights/consent/consent-commands.js";
import { listConsents } from "../../../rights/consent/consent-queries.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  ClientConsentParams,
  ClientConsentPurposeParams,
  ConsentGrantSchema,
  ConsentListSchema,
  ConsentRecordSchema,
  ConsentWithdrawSchema,
} from "./schema.js";

const purposeHeader = z.object({ "x-purpose": z.string().optional().describe("Purpose code, as for client reads (required)") });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };

export const consentRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/clients/:id/consents",
      {
        schema: {
          tags: ["consent"],
          summary: "Record a client's consent to a purpose, with its notice and evidence",
          params: ClientConsentParams,
          body: ConsentGrantSchema,
          response: { 201: ConsentRecordSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordConsent(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/clients/:id/consents/:purpose/withdraw",
      {
        schema: {
          tags: ["consent"],
          summary: "Record a withdrawal; a consent-based purpose leaves the record at once",
          params: ClientConsentPurposeParams,
          body: ConsentWithdrawSchema,
          response: { 200: ConsentRecordSchema.extend({ purposeRemoved: z.boolean() }), ...errors },
        },
      },
      async (request) => withdrawConsent(services, contextOf(request), request.params.id, request.params.purpose, request.body),
    );

    app.get(
      "/clients/:id/consents",
      {
        schema: {
          tags: ["consent"],
          summary: "A client's consent history and current state per purpose",
          params: ClientConsentParams,
          headers: purposeHeader,
          response: { 200: ConsentListSchema, ...errors },
        },
      },
      async (request) => listConsents(services, contextOf(request), request.params.id),
    );
  };
