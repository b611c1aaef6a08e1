import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Services } from "../../../platform/services.js";
import { discloseClients } from "../../../records/disclosures/disclosure-creator.js";
import { listDisclosures, readDisclosure } from "../../../records/disclosures/disclosure-queries.js";
import { confirmReturn, requestReturn } from "../../../records/disclosures/disclosure-returns.js";
import { recordRecipientConsent } from "../../../records/disclosures/recipient-consent.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  ConfirmationCreateSchema,
  ConfirmationResultSchema,
  DisclosureCreateSchema,
  DisclosureListQuery,
  DisclosureListSchema,
  DisclosureParams,
  DisclosureResultSchema,
  DisclosureSchema,
  RecipientConsentCreateSchema,
  RecipientConsentSchema,
  ReturnRequestSummarySchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };
const tags = ["disclosures"];

/**
 * Disclosures (issue #13, APR-2, VEN-2/3, CON-2, RET-3): client data leaving for a partner as a
 * de-identified package, each client under an approved disclose grant; the register of what each
 * partner holds; return or deletion requests and their confirmations; consents to a recipient.
 * Every call is audited (src/records/disclosures/).
 */
export const disclosureRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/disclosures",
      {
        schema: {
          tags,
          summary: "Disclose clients to a partner under a profile: returns the package once (never stored)",
          body: DisclosureCreateSchema,
          response: { 201: DisclosureResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        // The package is handed over once: no cache may keep it.
        reply.header("cache-control", "no-store");
        return reply.status(201).send(await discloseClients(services, contextOf(request), request.body));
      },
    );
    app.get(
      "/disclosures",
      {
        schema: {
          tags,
          summary: "Disclosures, newest first, by partner and/or client",
          querystring: DisclosureListQuery,
          response: { 200: DisclosureListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listDisclosures(services, contextOf(request), request.query) }),
    );
    app.post(
      "/disclosures/recipient-consents",
      {
        schema: {
          tags,
          summary: "Record a client's consent to a recipient, or its withdrawal (PIPL Art 23, 29)",
          body: RecipientConsentCreateSchema,
          response: { 201: RecipientConsentSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordRecipientConsent(services, contextOf(request), request.body)),
    );
    app.get(
      "/disclosures/:id",
      {
        schema: {
          tags,
          summary: "One disclosure: manifest, digests, approvals used, holdings",
          params: DisclosureParams,
          response: { 200: DisclosureSchema, ...errors },
        },
      },
      async (request) => readDisclosure(services, contextOf(request), request.params.id),
    );
    app.post(
      "/disclosures/:id/return-request",
      {
        schema: {
          tags,
          summary: "Ask the partner to return or delete what it holds of this disclosure (email to its contacts)",
          params: DisclosureParams,
          response: { 200: ReturnRequestSummarySchema, ...errors },
        },
      },
      async (request) => requestReturn(services, contextOf(request), { disclosureId: request.params.id }),
    );
    app.post(
      "/disclosures/:id/confirmations",
      {
        schema: {
          tags,
          summary: "Record the partner's confirmation that it returned or deleted the rows",
          params: DisclosureParams,
          body: ConfirmationCreateSchema,
          response: { 201: ConfirmationResultSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { clientId, ...confirmation } = request.body;
        return reply.status(201).send(await confirmReturn(services, contextOf(request), request.params.id, clientId, confirmation));
      },
    );
  };
