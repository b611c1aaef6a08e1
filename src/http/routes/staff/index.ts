import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { readAccessConditions, recordAgreement, recordTraining, setSupervisor } from "../../../access/conditions/access-condition-commands.js";
import { readStaffDirectory } from "../../../identity/users/staff-directory.js";
import { staffEligibility } from "../../../access/policy/abilities.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { AccessConditionsSchema, AgreementSchema, SupervisorSchema, TrainingSchema, UserIdParams } from "./schema.js";
import { DirectoryEntrySchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };

/** Staff administration for approvals and access conditions (`user.manage`). */
export const staffRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/staff/directory",
      {
        schema: {
          tags: ["users"],
          summary: "Who each staff id is (display name, role, status), for showing names instead of ids; any signed-in staff member",
          response: { 200: z.object({ items: z.array(DirectoryEntrySchema) }), 401: ErrorSchema },
        },
      },
      async (request) => ({ items: (await readStaffDirectory(services, contextOf(request))).map((e) => ({ ...e, eligibleAs: staffEligibility(e) })) }),
    );

    app.get(
      "/users/:id/access-conditions",
      {
        schema: {
          tags: ["users"],
          summary: "A user's confidentiality agreement and privacy training",
          params: UserIdParams,
          response: { 200: AccessConditionsSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return readAccessConditions(services, ctx.actor, ctx.requestId, { id: request.params.id });
      },
    );

    app.post(
      "/users/:id/agreement",
      {
        schema: {
          tags: ["users"],
          summary: "Record a signed confidentiality agreement",
          params: UserIdParams,
          body: AgreementSchema,
          response: { 200: AccessConditionsSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return recordAgreement(services, ctx.actor, ctx.requestId, { id: request.params.id }, request.body);
      },
    );

    app.post(
      "/users/:id/training",
      {
        schema: {
          tags: ["users"],
          summary: "Record completed privacy training",
          params: UserIdParams,
          body: TrainingSchema,
          response: { 200: AccessConditionsSchema, ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return recordTraining(services, ctx.actor, ctx.requestId, { id: request.params.id }, request.body);
      },
    );

    app.put(
      "/users/:id/supervisor",
      {
        schema: {
          tags: ["users"],
          summary: "Set or clear a user's supervisor (approver for four-eyes disclosure)",
          params: UserIdParams,
          body: SupervisorSchema,
          response: { 200: z.object({ id: z.string(), supervisorId: z.string().nullable() }), ...errors },
        },
      },
      async (request) => {
        const ctx = contextOf(request);
        return setSupervisor(
          services,
          ctx.actor,
          ctx.requestId,
          { id: request.params.id },
          request.body.supervisorId ? { id: request.body.supervisorId } : null,
        );
      },
    );
  };
