import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listAccountability, recordAccountability, RULE_CODES, SANCTIONS } from "../../../governance/accountability/accountability-records.js";
import { INCIDENT_CAUSES } from "../../../platform/i18n/incident-notices.js";
import {
  addCorrectiveAction,
  advanceCorrectiveAction,
  DRILL_SCENARIOS,
  listDrills,
  readReview,
  recordDrill,
  saveReview,
} from "../../../response/incidents/post-incident-review.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { humanText } from "../../schema-text.js";
import { ErrorSchema } from "../clients/schema.js";
import { IncidentIdParams, IncidentItemParams } from "../incidents/schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const date = z.iso.date();

export const AccountabilityCreateSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  ruleCode: z.enum(RULE_CODES),
  sanction: z.enum(SANCTIONS),
  decidedOn: date,
  incidentId: z.uuid().optional(),
  reportId: z.uuid().optional(),
});
export type AccountabilityCreateRequest = z.infer<typeof AccountabilityCreateSchema>;
const AccountabilitySchema = z.object({
  id: z.string(),
  userId: z.string(),
  ruleCode: z.string(),
  sanction: z.string(),
  decidedOn: z.string(),
  incidentId: z.string().nullable(),
  reportId: z.string().nullable(),
  recordedBy: z.string(),
  createdAt: z.string(),
});

export const ReviewSaveSchema = z.strictObject({
  rootCause: z.enum(INCIDENT_CAUSES),
  narrative: humanText({ multiline: true }).min(1).max(8000).describe("Sealed at rest"),
  lessons: z.array(humanText().min(1).max(500)).max(20).describe("Short texts; do not name clients"),
});
export type ReviewSaveRequest = z.infer<typeof ReviewSaveSchema>;
export const CorrectiveActionSchema = z.strictObject({
  title: humanText().min(1).max(200).describe("What to change; do not name clients"),
  ownerId: z.string().min(1).max(64),
  dueAt: z.iso.datetime({ offset: true }),
});
const ReviewSchema = z.object({
  incidentId: z.string(),
  rootCause: z.string().nullable(),
  narrative: z.string().nullable(),
  lessons: z.array(z.string()),
  updatedAt: z.string().nullable(),
  actions: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      ownerId: z.string(),
      dueAt: z.string(),
      status: z.string(),
      implementedAt: z.string().nullable(),
      verifiedBy: z.string().nullable(),
      closedAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
});
export const DrillCreateSchema = z.strictObject({
  scenario: z.enum(DRILL_SCENARIOS),
  heldOn: date,
  participants: z.array(z.string().min(1).max(64)).min(1).max(100),
  findings: humanText({ multiline: true }).min(1).max(4000),
});
export type DrillCreateRequest = z.infer<typeof DrillCreateSchema>;
const DrillSchema = z.object({
  id: z.string(),
  scenario: z.string(),
  heldOn: z.string(),
  participants: z.array(z.string()),
  findings: z.string(),
  recordedBy: z.string(),
  createdAt: z.string(),
});

/** Accountability records (GOV-5), post-incident review with corrective actions, and drills (INC-5). */
export const accountabilityRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/accountability-records",
      {
        schema: {
          tags: ["accountability"],
          summary: "Record a sanction for a rule breach (compliance only)",
          body: AccountabilityCreateSchema,
          response: { 201: AccountabilitySchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordAccountability(services, contextOf(request), request.body)),
    );

    app.get(
      "/accountability-records",
      {
        schema: {
          tags: ["accountability"],
          summary: "Accountability records (compliance only)",
          querystring: z.strictObject({ userId: z.string().max(64).optional() }),
          response: { 200: z.object({ items: z.array(AccountabilitySchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listAccountability(services, contextOf(request), request.query) }),
    );

    app.get(
      "/incidents/:id/review",
      {
        schema: {
          tags: ["incidents"],
          summary: "The post-incident review with its corrective actions",
          params: IncidentIdParams,
          response: { 200: ReviewSchema, ...errors },
        },
      },
      async (request) => readReview(services, contextOf(request), request.params.id),
    );

    app.put(
      "/incidents/:id/review",
      {
        schema: {
          tags: ["incidents"],
          summary: "Record root cause (code + sealed narrative) and lessons",
          params: IncidentIdParams,
          body: ReviewSaveSchema,
          response: { 200: ReviewSchema, ...errors },
        },
      },
      async (request) => saveReview(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/incidents/:id/actions",
      {
        schema: {
          tags: ["incidents"],
          summary: "Add a corrective action with an owner and a due date",
          params: IncidentIdParams,
          body: CorrectiveActionSchema,
          response: { 200: ReviewSchema, ...errors },
        },
      },
      async (request) => addCorrectiveAction(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/incidents/:id/actions/:itemId/implemented",
      {
        schema: {
          tags: ["incidents"],
          summary: "The owner (or compliance) reports the action implemented",
          params: IncidentItemParams,
          response: { 200: ReviewSchema, ...errors },
        },
      },
      async (request) => advanceCorrectiveAction(services, contextOf(request), request.params.id, request.params.itemId, "implemented"),
    );

    app.post(
      "/incidents/:id/actions/:itemId/close",
      {
        schema: {
          tags: ["incidents"],
          summary: "Verify and close the action: the verifier must not be its owner",
          params: IncidentItemParams,
          response: { 200: ReviewSchema, ...errors },
        },
      },
      async (request) => advanceCorrectiveAction(services, contextOf(request), request.params.id, request.params.itemId, "closed"),
    );

    app.post(
      "/drills",
      {
        schema: { tags: ["incidents"], summary: "Record a tabletop exercise", body: DrillCreateSchema, response: { 201: DrillSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await recordDrill(services, contextOf(request), request.body)),
    );

    app.get(
      "/drills",
      {
        schema: { tags: ["incidents"], summary: "Recorded drills, latest first", response: { 200: z.object({ items: z.array(DrillSchema) }), ...errors } },
      },
      async (request) => ({ items: await listDrills(services, contextOf(request)) }),
    );
  };
