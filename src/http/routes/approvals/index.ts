import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { approvalComplianceKpi } from "../../../access/approvals/approval-compliance.js";
import { decideApproval } from "../../../access/approvals/approval-decider.js";
import { listApprovals, readApproval } from "../../../access/approvals/approval-queries.js";
import { requestApproval } from "../../../access/approvals/approval-requester.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { ApprovalCreateSchema, ApprovalIdParams, ApprovalListQuery, ApprovalSchema, KpiQuery, KpiSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };

export const approvalRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/approvals",
      {
        schema: {
          tags: ["approvals"],
          summary: "Request an approval (export, L4 read outside one's matters, copy, forward, disclose)",
          body: ApprovalCreateSchema,
          response: { 201: ApprovalSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await requestApproval(services, contextOf(request), request.body)),
    );

    app.get(
      "/approvals",
      {
        schema: {
          tags: ["approvals"],
          summary: "My requests, or the pending requests I may decide",
          querystring: ApprovalListQuery,
          response: { 200: z.object({ items: z.array(ApprovalSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listApprovals(services, contextOf(request), request.query.scope) }),
    );

    app.get(
      "/approvals/:id",
      {
        schema: {
          tags: ["approvals"],
          summary: "The approval record with every decision and its grant",
          params: ApprovalIdParams,
          response: { 200: ApprovalSchema, ...errors },
        },
      },
      async (request) => readApproval(services, contextOf(request), request.params.id),
    );

    app.post(
      "/approvals/:id/approve",
      {
        schema: {
          tags: ["approvals"],
          summary: "Approve (fills the caller's approver slot; the last one starts the grant)",
          params: ApprovalIdParams,
          response: { 200: ApprovalSchema, ...errors },
        },
      },
      async (request) => decideApproval(services, contextOf(request), request.params.id, "approve"),
    );

    app.post(
      "/approvals/:id/reject",
      {
        schema: { tags: ["approvals"], summary: "Reject (ends the request)", params: ApprovalIdParams, response: { 200: ApprovalSchema, ...errors } },
      },
      async (request) => decideApproval(services, contextOf(request), request.params.id, "reject"),
    );

    app.get(
      "/kpis/approval-compliance",
      {
        schema: {
          tags: ["approvals"],
          summary: "Share of sensitive operations that had a valid grant, from the audit log (compliance, partners, auditors)",
          querystring: KpiQuery,
          response: { 200: KpiSchema, ...errors },
        },
      },
      async (request) =>
        approvalComplianceKpi(services, contextOf(request), { from: new Date(request.query.from).toISOString(), to: new Date(request.query.to).toISOString() }),
    );
  };
