import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { staffEligibility } from "../../../access/policy/abilities.js";
import { lookupStaff } from "../../../identity/users/staff-lookup.js";
import { lookupClients } from "../../../records/clients/client-lookup.js";
import { lookupMatters } from "../../../records/matters/matter-lookup.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { ClientIdsQuery, ClientLookupSchema, LookupQuery, MatterLookupSchema, StaffLookupQuery, StaffLookupSchema } from "./schema.js";

const purposeHeader = z.object({ "x-purpose": z.string().optional().describe("Purpose code (required: names and titles are personal data)") });
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema };

/** Search as you type for the console's pickers (issue #15): clients, matters, staff. */
export const lookupRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/lookup/clients",
      {
        schema: {
          tags: ["clients"],
          summary: "Clients by name prefix or surname, by the last 4 of the ID number (clearance 4) or phone (clearance 3), or by id",
          description:
            "The exact search's rules: tail searches above the caller's clearance are refused before any lookup; need-to-know, purpose and consent apply to each client; walled clients never appear and are not counted. At most 20 results.",
          querystring: LookupQuery,
          headers: purposeHeader,
          response: { 200: ClientLookupSchema, ...errors },
        },
      },
      async (request) => lookupClients(services, contextOf(request), request.query.q),
    );

    app.get(
      "/lookup/matters",
      {
        schema: {
          tags: ["matters"],
          summary: "Matters the caller may see, by number prefix, title prefix or id",
          querystring: LookupQuery,
          headers: purposeHeader,
          response: { 200: MatterLookupSchema, ...errors },
        },
      },
      async (request) => lookupMatters(services, contextOf(request), request.query.q),
    );

    app.get(
      "/lookup/staff",
      {
        schema: {
          tags: ["users"],
          summary: "Staff by a prefix of their name or of their email's local part (the directory's fields; any signed-in staff member)",
          querystring: StaffLookupQuery,
          response: { 200: StaffLookupSchema, 400: ErrorSchema, 401: ErrorSchema },
        },
      },
      async (request) => ({
        items: (await lookupStaff(services, contextOf(request), request.query.q, { activeOnly: request.query.active === "true" })).map((e) => ({
          ...e,
          eligibleAs: staffEligibility(e),
        })),
      }),
    );

    // The same lookups with the query in the body: the console uses these, so typed names stay out of URLs (proxy logs, history).
    app.post(
      "/lookup/clients",
      {
        schema: {
          tags: ["clients"],
          summary: "As GET /lookup/clients, with the query in the body",
          body: LookupQuery,
          headers: purposeHeader,
          response: { 200: ClientLookupSchema, ...errors },
        },
      },
      async (request) => lookupClients(services, contextOf(request), request.body.q),
    );
    app.post(
      "/lookup/clients/by-id",
      {
        schema: {
          tags: ["clients"],
          summary: "Names of up to 50 clients by id, as the caller may see them (the console's record chips)",
          description:
            "The id lookup's rules for each: walled clients and those outside need-to-know, purpose or consent are left out (not counted); each client named is audited as `client.list_item`, all in one unit of work with one `client.lookup` event.",
          body: ClientIdsQuery,
          headers: purposeHeader,
          response: { 200: ClientLookupSchema, ...errors },
        },
      },
      async (request) => lookupClients(services, contextOf(request), { ids: request.body.ids }),
    );
    app.post(
      "/lookup/matters",
      {
        schema: {
          tags: ["matters"],
          summary: "As GET /lookup/matters, with the query in the body",
          body: LookupQuery,
          headers: purposeHeader,
          response: { 200: MatterLookupSchema, ...errors },
        },
      },
      async (request) => lookupMatters(services, contextOf(request), request.body.q),
    );
    app.post(
      "/lookup/staff",
      {
        schema: {
          tags: ["users"],
          summary: "As GET /lookup/staff, with the query in the body",
          body: StaffLookupQuery,
          response: { 200: StaffLookupSchema, 400: ErrorSchema, 401: ErrorSchema },
        },
      },
      async (request) => ({
        items: (await lookupStaff(services, contextOf(request), request.body.q, { activeOnly: request.body.active === "true" })).map((e) => ({
          ...e,
          eligibleAs: staffEligibility(e),
        })),
      }),
    );
  };
