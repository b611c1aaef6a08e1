import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { addControl, listControls, updateControl } from "../../../governance/assessments/controls.js";
import { listAudits, recordAudit } from "../../../governance/assessments/compliance-audits.js";
import { listFindings, progressFinding, raiseFinding, readFinding, verifyFinding } from "../../../governance/assessments/findings.js";
import { generateInspectionPack } from "../../../governance/assessments/inspection-pack.js";
import { deleteRegisteredPia, listPiaRegister, registerPia } from "../../../governance/assessments/pia-register.js";
import { answerControl, completeRun, listRuns, planRun, readRun, startRun } from "../../../governance/assessments/runs.js";
import type { Services } from "../../../platform/services.js";
import type { RequestSettings } from "../../../rights/requests/request.js";
import { contextOf } from "../../authenticate.js";
import { contentDisposition } from "../../content-disposition.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AuditCreateSchema,
  AuditListSchema,
  AuditSchema,
  ControlCreateSchema,
  ControlListSchema,
  ControlParams,
  ControlSchema,
  ControlUpdateSchema,
  FindingCreateSchema,
  FindingListQuery,
  FindingListSchema,
  FindingProgressSchema,
  FindingSchema,
  FindingVerifySchema,
  IdParams,
  PiaDeletedSchema,
  PiaListSchema,
  PiaRegisterSchema,
  PiaSchema,
  ResultSchema,
  RunControlParams,
  RunCreateSchema,
  RunListSchema,
  RunSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["assessments"];

/**
 * Self-assessments, compliance audits, findings, the PIA register and the inspection pack (issue
 * #14, GOV-3, GOV-4, AUD-3, PIPL Art 54–56). Reading takes `assessment.read` (compliance, partners,
 * the auditor), changing `assessment.manage` (compliance); a finding's owner moves their own
 * finding; the inspection pack takes `inspection.pack` (compliance). Every call is audited.
 */
export const assessmentRoutes =
  (services: Services, settings: Pick<RequestSettings, "now">): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/assessments/controls",
      {
        schema: {
          tags,
          summary: "The self-assessment control list (data: requirement ids and PIPL articles)",
          response: { 200: ControlListSchema, ...errors },
        },
      },
      async (request) => listControls(services, contextOf(request)),
    );
    app.post(
      "/assessments/controls",
      { schema: { tags, summary: "Add a control of the firm's own", body: ControlCreateSchema, response: { 201: ControlSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await addControl(services, contextOf(request), request.body, settings.now())),
    );
    app.patch(
      "/assessments/controls/:code",
      {
        schema: {
          tags,
          summary: "Edit a control: texts, applicability and its reason, evidence source, active",
          params: ControlParams,
          body: ControlUpdateSchema,
          response: { 200: ControlSchema, ...errors },
        },
      },
      async (request) => updateControl(services, contextOf(request), request.params.code, request.body, settings.now()),
    );
    app.get(
      "/assessments/runs",
      { schema: { tags, summary: "Assessment runs, newest first, with answer and finding counts", response: { 200: RunListSchema, ...errors } } },
      async (request) => listRuns(services, contextOf(request)),
    );
    app.post(
      "/assessments/runs",
      {
        schema: {
          tags,
          summary: "Plan a run: quarterly, yearly or ad hoc; date, scope, assessor",
          body: RunCreateSchema,
          response: { 201: RunSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await planRun(services, contextOf(request), request.body, settings.now())),
    );
    app.get(
      "/assessments/runs/:id",
      {
        schema: {
          tags,
          summary: "A run: controls with their evidence snapshot and answers, its findings, and the previous run's unfinished findings",
          params: IdParams,
          response: { 200: RunSchema, ...errors },
        },
      },
      async (request) => readRun(services, contextOf(request), request.params.id, settings.now()),
    );
    app.post(
      "/assessments/runs/:id/start",
      {
        schema: {
          tags,
          summary: "Start a run: snapshot the automatic evidence of every control in scope",
          params: IdParams,
          response: { 200: RunSchema, ...errors },
        },
      },
      async (request) => startRun(services, contextOf(request), request.params.id, settings.now()),
    );
    app.put(
      "/assessments/runs/:id/controls/:code",
      {
        schema: {
          tags,
          summary: "Answer a control: met, partly, not met or not applicable, with notes (sealed) and document references",
          params: RunControlParams,
          body: ResultSchema,
          response: { 200: RunSchema, ...errors },
        },
      },
      async (request) => answerControl(services, contextOf(request), request.params.id, request.params.code, request.body, settings.now()),
    );
    app.post(
      "/assessments/runs/:id/complete",
      { schema: { tags, summary: "Complete a run once every control in scope is answered", params: IdParams, response: { 200: RunSchema, ...errors } } },
      async (request) => completeRun(services, contextOf(request), request.params.id, settings.now()),
    );
    app.get(
      "/assessments/findings",
      {
        schema: {
          tags,
          summary: "Findings by deadline; overdue=true for the overdue list, mine=true for one's own",
          querystring: FindingListQuery,
          response: { 200: FindingListSchema, ...errors },
        },
      },
      async (request) => listFindings(services, contextOf(request), request.query, settings.now()),
    );
    app.post(
      "/assessments/findings",
      {
        schema: {
          tags,
          summary: "Raise a finding from a run or an audit: severity, owner, remediation deadline",
          body: FindingCreateSchema,
          response: { 201: FindingSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await raiseFinding(services, contextOf(request), request.body, settings.now())),
    );
    app.get(
      "/assessments/findings/:id",
      { schema: { tags, summary: "A finding (its owner may read it too)", params: IdParams, response: { 200: FindingSchema, ...errors } } },
      async (request) => readFinding(services, contextOf(request), request.params.id, settings.now()),
    );
    app.post(
      "/assessments/findings/:id/progress",
      {
        schema: {
          tags,
          summary: "The owner (or compliance) moves a finding into remediation or resolves it",
          params: IdParams,
          body: FindingProgressSchema,
          response: { 200: FindingSchema, ...errors },
        },
      },
      async (request) => progressFinding(services, contextOf(request), request.params.id, request.body, settings.now()),
    );
    app.post(
      "/assessments/findings/:id/verify",
      {
        schema: {
          tags,
          summary: "Verify a resolved finding, or send it back (compliance; never the owner)",
          params: IdParams,
          body: FindingVerifySchema,
          response: { 200: FindingSchema, ...errors },
        },
      },
      async (request) => verifyFinding(services, contextOf(request), request.params.id, request.body, settings.now()),
    );
    app.get(
      "/assessments/audits",
      { schema: { tags, summary: "Compliance audits (PIPL Art 54) with their findings", response: { 200: AuditListSchema, ...errors } } },
      async (request) => listAudits(services, contextOf(request), settings.now()),
    );
    app.post(
      "/assessments/audits",
      {
        schema: {
          tags,
          summary: "Record an internal or external compliance audit (auditor and scope sealed)",
          body: AuditCreateSchema,
          response: { 201: AuditSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordAudit(services, contextOf(request), request.body, settings.now())),
    );
    app.get(
      "/assessments/pias",
      { schema: { tags, summary: "The PIA register (PIPL Art 55–56): partner and processing-activity PIAs", response: { 200: PiaListSchema, ...errors } } },
      async (request) => listPiaRegister(services, contextOf(request), settings.now()),
    );
    app.post(
      "/assessments/pias",
      {
        schema: {
          tags,
          summary: "Record a PIA about a processing activity (summary sealed)",
          body: PiaRegisterSchema,
          response: { 201: PiaSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await registerPia(services, contextOf(request), request.body, settings.now())),
    );
    app.delete(
      "/assessments/pias/:id",
      {
        schema: {
          tags,
          summary: "Delete a PIA: refused (409 pia_retention_period) within three years of it",
          params: IdParams,
          response: { 200: PiaDeletedSchema, ...errors },
        },
      },
      async (request) => deleteRegisteredPia(services, contextOf(request), request.params.id, settings.now()),
    );
    app.get(
      "/inspection-pack",
      {
        schema: { tags, summary: "The inspection pack for a regulator visit (ZIP of JSON and CSV parts, README in Chinese); compliance only, audited" },
        // No response schema: the answer is the ZIP (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const pack = await generateInspectionPack(services, contextOf(request), settings.now());
        return reply
          .header("content-type", "application/zip")
          .header("content-disposition", contentDisposition("inspection-pack", pack.fileName))
          .header("cache-control", "no-store")
          .send(pack.bytes);
      },
    );
  };
