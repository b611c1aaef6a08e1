import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { checkConflicts } from "../../../records/conflicts/conflict-checker.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { ConflictQuery, ConflictReportSchema } from "./schema.js";

const purposeHeader = z.object({ "x-purpose": z.string().optional().describe("Must be conflict-check") });
const response = { 200: ConflictReportSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema };

export const conflictRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/conflicts",
      {
        schema: {
          tags: ["conflicts"],
          summary: "Conflict check by blind index (name and/or ID number)",
          description: "Prefer POST /conflicts/search: query strings end up in histories and proxy logs.",
          querystring: ConflictQuery,
          headers: purposeHeader,
          response,
        },
      },
      async (request) => checkConflicts(services, contextOf(request), request.query),
    );

    app.post(
      "/conflicts/search",
      {
        schema: { tags: ["conflicts"], summary: "Conflict check, criteria in the body", body: ConflictQuery, headers: purposeHeader, response },
      },
      async (request) => checkConflicts(services, contextOf(request), request.body),
    );
  };
