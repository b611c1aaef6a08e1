import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  assignPrivacyRole,
  listPrivacyTeam,
  publicPrivacyContact,
  removePrivacyRole,
  updatePrivacyRole,
} from "../../../governance/privacy-team/privacy-team.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { PrivacyContactSchema, PrivacyRoleCreateSchema, PrivacyRoleIdParams, PrivacyRoleSchema, PrivacyRoleUpdateSchema, PrivacyTeamSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["privacy-team"];

/** The public route (CON-4): the privacy officer's role mailbox and phone, for the portal and anyone else. */
export const publicPrivacyContactRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/privacy-contact",
      {
        schema: {
          tags,
          summary: "The privacy officer's published contact (public; a role mailbox and phone, no person)",
          security: [],
          response: { 200: PrivacyContactSchema },
        },
      },
      async () => publicPrivacyContact(services),
    );
  };

/** The privacy team (issue #14, GOV-1): every staff member reads it; compliance (`privacy_team.manage`) names it. */
export const privacyTeamRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/privacy-team",
      {
        schema: {
          tags,
          summary: "The privacy team: roles, holders, deputies, duties and the published contact",
          response: { 200: PrivacyTeamSchema, ...errors },
        },
      },
      async (request) => listPrivacyTeam(services, contextOf(request)),
    );
    app.post(
      "/privacy-team",
      {
        schema: { tags, summary: "Name a role's holder, deputies and duties", body: PrivacyRoleCreateSchema, response: { 201: PrivacyRoleSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await assignPrivacyRole(services, contextOf(request), request.body)),
    );
    app.patch(
      "/privacy-team/:id",
      {
        schema: {
          tags,
          summary: "Change a role's holder, deputies, duties or published contact",
          params: PrivacyRoleIdParams,
          body: PrivacyRoleUpdateSchema,
          response: { 200: PrivacyRoleSchema, ...errors },
        },
      },
      async (request) => updatePrivacyRole(services, contextOf(request), request.params.id, request.body),
    );
    app.delete(
      "/privacy-team/:id",
      {
        schema: { tags, summary: "Remove a role from the team", params: PrivacyRoleIdParams, response: { 200: z.object({ removed: z.boolean() }), ...errors } },
      },
      async (request) => removePrivacyRole(services, contextOf(request), request.params.id),
    );
  };
