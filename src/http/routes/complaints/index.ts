import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { fileComplaintByStaff, fileComplaintFromPortal, readComplaint, respondToComplaint, updateComplaint } from "../../../rights/complaints/complaints.js";
import { listComplaints } from "../../../rights/complaints/complaint-lister.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  ComplaintIdParams,
  ComplaintResponseSchema,
  ComplaintSchema,
  ComplaintUpdateSchema,
  PortalComplaintReceiptSchema,
  PortalComplaintSchema,
  StaffComplaintSchema,
} from "./schema.js";
import { ComplaintListQuery, ComplaintPageSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 429: ErrorSchema };
const tags = ["complaints"];

/** Public: a client complains (proof-of-work from GET /portal/challenge, per-address limit). */
export const portalComplaintRoutes =
  (services: Services, settings: RequestSettings): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/portal/complaints",
      {
        schema: {
          tags: ["portal", ...tags],
          summary: "File a complaint; contact details are sealed, the answer gives the SLA date",
          security: [],
          body: PortalComplaintSchema,
          response: { 202: PortalComplaintReceiptSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(202).send(await fileComplaintFromPortal(services, settings, request.id, request.ip, request.body)),
    );
  };

/** Staff handling of complaints (compliance, complaint.manage). */
export const complaintRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/complaints",
      {
        schema: {
          tags,
          summary: "Record a complaint received by letter, phone or in person",
          body: StaffComplaintSchema,
          response: { 201: ComplaintSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await fileComplaintByStaff(services, contextOf(request), request.body)),
    );

    app.get(
      "/complaints",
      {
        schema: {
          tags,
          summary: "The complaints register, newest first, with SLA dates (compliance); follow nextCursor until it is null",
          querystring: ComplaintListQuery,
          response: { 200: ComplaintPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => listComplaints(services, contextOf(request), request.query),
    );

    app.get(
      "/complaints/:id",
      {
        schema: { tags, summary: "Read a complaint ticket with notes and response", params: ComplaintIdParams, response: { 200: ComplaintSchema, ...errors } },
      },
      async (request) => readComplaint(services, contextOf(request), request.params.id),
    );

    app.patch(
      "/complaints/:id",
      {
        schema: {
          tags,
          summary: "Status, investigation note (sealed), link to an incident",
          params: ComplaintIdParams,
          body: ComplaintUpdateSchema,
          response: { 200: ComplaintSchema, ...errors },
        },
      },
      async (request) => updateComplaint(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/complaints/:id/response",
      {
        schema: {
          tags,
          summary: "Record the answer to the complainant; emailed when an address was given",
          params: ComplaintIdParams,
          body: ComplaintResponseSchema,
          response: { 200: ComplaintSchema, ...errors },
        },
      },
      async (request) => respondToComplaint(services, contextOf(request), request.params.id, request.body),
    );
  };
