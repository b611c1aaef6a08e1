import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Services } from "../../../platform/services.js";
import { createProfile, listProfiles, readProfile, updateProfile } from "../../../records/disclosures/profile-commands.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { ProfileCreateSchema, ProfileDetailSchema, ProfileListSchema, ProfileParams, ProfileQuery, ProfileSchema, ProfileUpdateSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["disclosures"];

/**
 * De-identification profiles (issue #13, VEN-3): what a disclosure sends and in what form. Read by
 * those who may ask for a disclosure; created and changed by compliance (`profile.manage`), each
 * change a new version. Every call is audited.
 */
export const deidentificationProfileRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/deidentification-profiles",
      { schema: { tags, summary: "De-identification profiles in force", response: { 200: ProfileListSchema, ...errors } } },
      async (request) => ({ items: await listProfiles(services, contextOf(request)) }),
    );

    app.get(
      "/deidentification-profiles/:code",
      {
        schema: {
          tags,
          summary: "One profile (in force, or ?version=N) with its version history",
          params: ProfileParams,
          querystring: ProfileQuery,
          response: { 200: ProfileDetailSchema, ...errors },
        },
      },
      async (request) => readProfile(services, contextOf(request), request.params.code, request.query.version),
    );

    app.post(
      "/deidentification-profiles",
      {
        schema: {
          tags,
          summary: "Create a profile (compliance); keeping an identifier in full needs identifying: true",
          body: ProfileCreateSchema,
          response: { 201: ProfileSchema, ...errors },
        },
      },
      async (request, reply) => {
        const { code, ...body } = request.body;
        reply.status(201);
        return createProfile(services, contextOf(request), code, body);
      },
    );

    app.put(
      "/deidentification-profiles/:code",
      {
        schema: {
          tags,
          summary: "Change a profile (compliance): writes a new version; disclosures keep the version they used",
          params: ProfileParams,
          body: ProfileUpdateSchema,
          response: { 200: ProfileSchema, ...errors },
        },
      },
      async (request) => {
        const { expectedVersion, ...body } = request.body;
        return updateProfile(services, contextOf(request), request.params.code, expectedVersion, body);
      },
    );
  };
