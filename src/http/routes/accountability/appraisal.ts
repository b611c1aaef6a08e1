import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  CASE_STATUSES,
  CaseDecisionInput,
  CaseFindingsInput,
  CaseOpenInput,
  closeCase,
  decideCase,
  listCases,
  openCase,
  publishCase,
  readCase,
  saveFindings,
  startInvestigation,
} from "../../../governance/accountability/accountability-cases.js";
import { PERIOD_PATTERN } from "../../../governance/accountability/appraisal-score.js";
import { appraise } from "../../../governance/accountability/appraisals.js";
import { AwardInput, grantAward, listAwards, listPublications, publishAward } from "../../../governance/accountability/awards.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["accountability"];

export const CaseOpenSchema = CaseOpenInput;
export type CaseOpenRequest = z.infer<typeof CaseOpenSchema>;
export const CaseDecisionSchema = CaseDecisionInput;
export type CaseDecisionRequest = z.infer<typeof CaseDecisionSchema>;
export const AwardCreateSchema = AwardInput;
export type AwardCreateRequest = z.infer<typeof AwardCreateSchema>;
const IdParams = z.strictObject({ id: z.uuid() });
const PeriodQuery = z.strictObject({ period: z.string().regex(PERIOD_PATTERN).describe("A quarter, e.g. 2026-Q3") });

const CaseSchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  subjectRole: z.string(),
  ruleCode: z.string(),
  status: z.enum(CASE_STATUSES),
  incidentId: z.string().nullable(),
  reportId: z.string().nullable(),
  findings: z.string().nullable().describe("Opened from the vault; null in lists"),
  hasFindings: z.boolean().optional(),
  outcome: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedOn: z.string().nullable(),
  recordId: z.string().nullable(),
  publicationId: z.string().nullable(),
  openedBy: z.string(),
  openedAt: z.string(),
  updatedAt: z.string(),
});
const AwardSchema = z.object({
  id: z.string(),
  userId: z.string(),
  awardCode: z.string(),
  period: z.string(),
  citation: z.string().nullable(),
  awardedOn: z.string(),
  awardedBy: z.string(),
  published: z.boolean(),
});
const PublicationSchema = z.union([
  z.object({
    id: z.string(),
    kind: z.literal("award"),
    publishedOn: z.string(),
    userId: z.string().nullable(),
    awardCode: z.string().nullable(),
    period: z.string().nullable(),
  }),
  z.object({
    id: z.string(),
    kind: z.literal("sanction"),
    publishedOn: z.string(),
    subjectRole: z.string().nullable(),
    ruleCode: z.string().nullable(),
    sanction: z.string().nullable(),
  }),
]);
const AppraisalSchema = z.object({
  period: z.string(),
  from: z.string(),
  until: z.string(),
  items: z.array(
    z.object({
      userId: z.string(),
      role: z.string(),
      score: z.number(),
      rating: z.string(),
      deductions: z.array(z.object({ input: z.string(), points: z.number() })),
      inputs: z.object({
        trainingCompletions: z.number().nullable(),
        trainingCurrent: z.boolean().nullable(),
        policiesRequired: z.number(),
        policiesAttested: z.number(),
        alerts: z.number(),
        seriousAlerts: z.number(),
        sanctions: z.array(z.string()),
      }),
      awards: z.array(z.string()),
    }),
  ),
});

/**
 * Appraisal, investigations, awards and the internal noticeboard (issue #14, TRN-3, GOV-5). Compliance
 * (`accountability.manage`) runs them; each person reads their own appraisal; everyone reads the noticeboard.
 */
export const appraisalRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/appraisals",
      {
        schema: {
          tags,
          summary: "Confidentiality performance of every active staff member for a quarter, with its inputs",
          querystring: PeriodQuery,
          response: { 200: AppraisalSchema, ...errors },
        },
      },
      async (request) => appraise(services, contextOf(request), request.query.period),
    );
    app.get(
      "/appraisals/mine",
      {
        schema: {
          tags,
          summary: "The caller's own confidentiality performance for a quarter",
          querystring: PeriodQuery,
          response: { 200: AppraisalSchema, ...errors },
        },
      },
      async (request) => appraise(services, contextOf(request), request.query.period, { mine: true }),
    );
    app.get(
      "/accountability-cases",
      {
        schema: {
          tags,
          summary: "Investigations (findings left out)",
          querystring: z.strictObject({ status: z.enum(CASE_STATUSES).optional() }),
          response: { 200: z.object({ items: z.array(CaseSchema) }), ...errors },
        },
      },
      async (request) => listCases(services, contextOf(request), request.query),
    );
    app.post(
      "/accountability-cases",
      { schema: { tags, summary: "Open an investigation of a suspected violation", body: CaseOpenSchema, response: { 201: CaseSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await openCase(services, contextOf(request), request.body)),
    );
    app.get(
      "/accountability-cases/:id",
      { schema: { tags, summary: "An investigation with its sealed findings opened", params: IdParams, response: { 200: CaseSchema, ...errors } } },
      async (request) => readCase(services, contextOf(request), request.params.id),
    );
    app.post(
      "/accountability-cases/:id/investigate",
      { schema: { tags, summary: "Start investigating", params: IdParams, response: { 200: CaseSchema, ...errors } } },
      async (request) => startInvestigation(services, contextOf(request), request.params.id),
    );
    app.put(
      "/accountability-cases/:id/findings",
      { schema: { tags, summary: "Write the findings (sealed at rest)", params: IdParams, body: CaseFindingsInput, response: { 200: CaseSchema, ...errors } } },
      async (request) => saveFindings(services, contextOf(request), request.params.id, request.body.findings),
    );
    app.post(
      "/accountability-cases/:id/decide",
      {
        schema: {
          tags,
          summary: "Decide: a sanction or no violation (never by the person investigated)",
          params: IdParams,
          body: CaseDecisionSchema,
          response: { 200: CaseSchema, ...errors },
        },
      },
      async (request) => decideCase(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/accountability-cases/:id/publish",
      { schema: { tags, summary: "Announce the sanction internally: role and rule, no name", params: IdParams, response: { 200: CaseSchema, ...errors } } },
      async (request) => publishCase(services, contextOf(request), request.params.id),
    );
    app.post(
      "/accountability-cases/:id/close",
      { schema: { tags, summary: "Close the investigation", params: IdParams, response: { 200: CaseSchema, ...errors } } },
      async (request) => closeCase(services, contextOf(request), request.params.id),
    );
    app.get(
      "/awards",
      {
        schema: {
          tags,
          summary: "Awards granted",
          querystring: z.strictObject({ period: z.string().regex(PERIOD_PATTERN).optional() }),
          response: { 200: z.object({ items: z.array(AwardSchema) }), ...errors },
        },
      },
      async (request) => listAwards(services, contextOf(request), request.query),
    );
    app.post(
      "/awards",
      { schema: { tags, summary: "Grant an award (e.g. 保密之星) for a quarter", body: AwardCreateSchema, response: { 201: AwardSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await grantAward(services, contextOf(request), request.body)),
    );
    app.post(
      "/awards/:id/publish",
      { schema: { tags, summary: "Announce an award internally, with the winner's name", params: IdParams, response: { 200: AwardSchema, ...errors } } },
      async (request) => publishAward(services, contextOf(request), request.params.id),
    );
    app.get(
      "/accountability-publications",
      {
        schema: {
          tags,
          summary: "The internal noticeboard: awards by name, sanctions by role and rule only",
          response: { 200: z.object({ items: z.array(PublicationSchema) }), ...errors },
        },
      },
      async (request) => listPublications(services, contextOf(request)),
    );
  };
