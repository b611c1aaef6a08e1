import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { downloadPackage, portalStatus } from "../../../rights/requests/portal-queries.js";
import { issueChallenge, submitRequest, verifyCode } from "../../../rights/requests/portal-intake.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import {
  assignRequest,
  extendRequest,
  fulfilRequest,
  listRequests,
  readRequest,
  refuseRequest,
  verifyByStaff,
} from "../../../rights/requests/request-fulfiller.js";
import { listRegimes, updateRegime } from "../../../rights/requests/regimes.js";
import { liftRestriction } from "../../../rights/requests/restriction-lifter.js";
import type { Services } from "../../../platform/services.js";
import { bearerCredential } from "../../../platform/crypto/bearer.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AssignSchema,
  ChallengeSchema,
  ExtendSchema,
  PackageQuery,
  PortalReceiptSchema,
  PortalRequestSchema,
  PortalSubmitSchema,
  PortalTokenSchema,
  PortalVerifySchema,
  RefuseSchema,
  RequestListQuery,
  RequestParams,
  StaffRequestSchema,
  StaffVerifySchema,
  ClientParams,
  PublicPurposeSchema,
  RegimeParams,
  RegimeSchema,
  RegimeUpdateSchema,
  RestrictionLiftResultSchema,
  RestrictionLiftSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema, 429: ErrorSchema };

/** The public client portal: no staff sign-in; the request token is the requester's bearer secret. */
export const portalRoutes =
  (services: Services, settings: RequestSettings): FastifyPluginAsyncZod =>
  async (app) => {
    // The firm's purposes, for the withdraw-consent form: registry data only, nothing about a client;
    // public like the notice in force, and likewise not audited.
    app.get(
      "/portal/purposes",
      {
        schema: {
          tags: ["portal"],
          summary: "The firm's active purposes with their legal basis (public)",
          security: [],
          response: { 200: z.object({ items: z.array(PublicPurposeSchema) }) },
        },
      },
      async () => ({ items: (await services.purposes.list()).map((p) => ({ code: p.code, nameZh: p.nameZh, nameEn: p.nameEn, legalBasis: p.legalBasis })) }),
    );

    app.get(
      "/portal/challenge",
      {
        schema: {
          tags: ["portal"],
          summary: "A proof-of-work challenge to solve before submitting a request",
          security: [],
          response: { 200: ChallengeSchema },
        },
      },
      async () => issueChallenge(services, settings),
    );

    app.post(
      "/portal/requests",
      {
        schema: {
          tags: ["portal"],
          security: [],
          body: PortalSubmitSchema,
          response: { 202: PortalReceiptSchema, ...errors },
          summary: "Submit a request about one's personal data; the answer is the same whether or not the firm holds any",
        },
      },
      async (request, reply) =>
        reply
          .status(202)
          .send(
            await submitRequest(services, settings, request.id, request.ip, request.body, (e) =>
              request.log.warn({ errorClass: (e as Error)?.constructor?.name }, "code delivery failed"),
            ),
          ),
    );

    app.post(
      "/portal/requests/:id/verify",
      {
        schema: {
          tags: ["portal"],
          summary: "Verify with the one-time code; returns the request token once",
          security: [],
          params: RequestParams,
          body: PortalVerifySchema,
          response: { 200: PortalTokenSchema, ...errors },
        },
      },
      async (request) => verifyCode(services, settings, request.id, request.params.id, request.body.code),
    );

    app.get(
      "/portal/requests/:id",
      {
        schema: {
          tags: ["portal"],
          summary: "The request's status and deadline (Authorization: Bearer <request token>)",
          security: [],
          params: RequestParams,
          response: { 200: PortalRequestSchema, ...errors },
        },
      },
      async (request) => portalStatus(services, settings, request.id, request.params.id, bearerCredential(request.headers.authorization)),
    );

    app.get(
      "/portal/requests/:id/package",
      {
        schema: {
          tags: ["portal"],
          summary: "Download the access / copy package as JSON or an HTML document",
          security: [],
          params: RequestParams,
          querystring: PackageQuery,
          response: { 200: z.any(), ...errors },
        },
      },
      async (request, reply) => {
        const out = await downloadPackage(
          services,
          settings,
          request.id,
          request.params.id,
          bearerCredential(request.headers.authorization),
          request.query.format,
          request.query.lang,
        );
        if ("html" in out)
          return reply.type("text/html; charset=utf-8").header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'").send(out.html);
        return reply.header("content-disposition", `attachment; filename="request-${request.params.id}.json"`).send(out.json);
      },
    );
  };

/** Staff handling of requests: compliance and partners (`request.manage`). */
export const requestRoutes =
  (services: Services, settings: RequestSettings): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/requests",
      {
        schema: {
          tags: ["requests"],
          summary: "Client requests, soonest deadline first, with reminder and overdue flags",
          querystring: RequestListQuery,
          response: { 200: z.object({ items: z.array(StaffRequestSchema) }), ...errors },
        },
      },
      async (request) => ({
        items: await listRequests(services, settings, contextOf(request), {
          status: request.query.status,
          open: request.query.open === "true",
          overdue: request.query.overdue === "true",
        }),
      }),
    );

    app.get(
      "/requests/:id",
      {
        schema: { tags: ["requests"], summary: "One request with its status history", params: RequestParams, response: { 200: StaffRequestSchema, ...errors } },
      },
      async (request) => readRequest(services, settings, contextOf(request), request.params.id),
    );

    app.post(
      "/requests/:id/assign",
      {
        schema: {
          tags: ["requests"],
          summary: "Set the owner and/or the regime (the due date is recomputed)",
          params: RequestParams,
          body: AssignSchema,
          response: { 200: StaffRequestSchema, ...errors },
        },
      },
      async (request) => assignRequest(services, settings, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/requests/:id/verify",
      {
        schema: {
          tags: ["requests"],
          summary: "Record identity verification by staff, with evidence; returns the requester's token once",
          params: RequestParams,
          body: StaffVerifySchema,
          response: { 200: StaffRequestSchema.extend({ token: z.string(), tokenExpiresAt: z.string() }), ...errors },
        },
      },
      async (request) => verifyByStaff(services, settings, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/requests/:id/extend",
      {
        schema: {
          tags: ["requests"],
          summary: "Extend the deadline where the regime allows it, with a reason code",
          params: RequestParams,
          body: ExtendSchema,
          response: { 200: StaffRequestSchema, ...errors },
        },
      },
      async (request) => extendRequest(services, settings, contextOf(request), request.params.id, request.body.reason),
    );

    app.post(
      "/requests/:id/refuse",
      {
        schema: {
          tags: ["requests"],
          summary: "Refuse with a reason code (PIPL Art. 50: a refusal states its reasons)",
          params: RequestParams,
          body: RefuseSchema,
          response: { 200: StaffRequestSchema, ...errors },
        },
      },
      async (request) => refuseRequest(services, settings, contextOf(request), request.params.id, request.body.reason),
    );

    app.get(
      "/request-regimes",
      {
        schema: {
          tags: ["requests"],
          summary: "Deadline regimes; verified: false marks an UNVERIFIED figure",
          response: { 200: z.object({ items: z.array(RegimeSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listRegimes(services, contextOf(request)) }),
    );

    app.put(
      "/request-regimes/:code",
      {
        schema: {
          tags: ["requests"],
          params: RegimeParams,
          body: RegimeUpdateSchema,
          response: { 200: RegimeSchema, ...errors },
          summary: "Change a deadline regime (compliance); due dates already set change only when a request is re-assigned",
        },
      },
      async (request) => updateRegime(services, contextOf(request), request.params.code, request.body),
    );

    app.post(
      "/clients/:id/restriction/lift",
      {
        schema: {
          tags: ["requests", "clients"],
          params: ClientParams,
          body: RestrictionLiftSchema,
          response: { 200: RestrictionLiftResultSchema, ...errors },
          summary: "End a restriction of processing (compliance): the purposes in force before it come back",
        },
      },
      async (request) => liftRestriction(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/requests/:id/fulfil",
      {
        schema: {
          tags: ["requests"],
          summary: "Carry out a verified request (deletion checks legal holds first)",
          params: RequestParams,
          response: { 200: StaffRequestSchema, ...errors },
        },
      },
      async (request) => fulfilRequest(services, settings, contextOf(request), request.params.id),
    );
  };
