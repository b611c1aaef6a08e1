import type { FastifyRequest } from "fastify";
import { contentDisposition } from "../../content-disposition.js";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  addIncidentMember,
  addIncidentTask,
  attachBlastRadius,
  changeIncidentStatus,
  completeIncidentDuty,
  completeIncidentTask,
  openIncident,
  readIncident,
  updateIncidentImpact,
  type Incident,
} from "../../../response/incidents/incident-commands.js";
import { incidentAbilities } from "../../../access/policy/abilities.js";
import { listIncidents } from "../../../response/incidents/incident-lister.js";
import { fileReport, readReport, updateReport } from "../../../response/incidents/internal-reports.js";
import { listReports } from "../../../response/incidents/report-lister.js";
import { draftNotice } from "../../../response/incidents/notice-drafts.js";
import { listEvidence, readEvidenceContent, uploadEvidence } from "../../../response/incidents/incident-evidence.js";
import { listNoticeSends, sendClientNotices } from "../../../response/incidents/notice-sends.js";
import { ValidationError } from "../../../platform/errors.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema, PageQuery } from "../clients/schema.js";
import { AlertIdParams } from "../detection/schema.js";
import {
  AlertEscalateSchema,
  BlastRadiusSchema,
  IncidentIdParams,
  IncidentImpactSchema,
  IncidentItemParams,
  IncidentMemberSchema,
  IncidentOpenSchema,
  IncidentRecordSchema,
  IncidentStatusSchema,
  IncidentPageSchema,
  IncidentTaskSchema,
  NoticeDraftSchema,
  NoticeSchema,
  ReportCreateSchema,
  ReportIdParams,
  ReportSchema,
  ReportUpdateSchema,
} from "./schema.js";
import { ReportListQuery, ReportPageSchema } from "./schema.js";
import {
  EVIDENCE_BODY_LIMIT,
  EvidenceItemSchema,
  EvidenceListSchema,
  EvidenceParams,
  EvidenceUploadSchema,
  NoticeSendListSchema,
  NoticeSendResultSchema,
  NoticeSendSchema,
} from "./schema.js";

/** Strict base64: Buffer.from is lenient (skips junk), so the decoded bytes must encode back to the input. */
function decodeBase64(text: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) throw ValidationError([{ field: "content", code: "not_base64", message: "The content is not valid base64." }]);
  return bytes;
}

/** The incident with the caller's abilities on it; their membership is the team the read just loaded. */
async function withAbilities(request: FastifyRequest, incident: Promise<Incident>) {
  const { actor } = contextOf(request);
  const shown = await incident;
  return { ...shown, abilities: incidentAbilities(actor, { onTeam: shown.team.some((m) => m.userId === actor.userId) }) };
}

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };
const tags = ["incidents"];

/** Incident response (INC-1..4) and internal reports (AUD-4). */
export const incidentRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/incidents",
      {
        schema: {
          tags,
          summary: "Open an incident (compliance); grades it and generates notification duties",
          body: IncidentOpenSchema,
          response: { 201: IncidentRecordSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await withAbilities(request, openIncident(services, contextOf(request), request.body))),
    );

    app.post(
      "/alerts/:id/escalate",
      {
        schema: {
          tags: ["detection", ...tags],
          summary: "Escalate an alert to a new incident (compliance)",
          params: AlertIdParams,
          body: AlertEscalateSchema,
          response: { 201: IncidentRecordSchema, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await withAbilities(request, openIncident(services, contextOf(request), { ...request.body, source: "alert", alertId: request.params.id }))),
    );

    app.get(
      "/incidents",
      {
        schema: {
          tags,
          summary: "The incident register, newest first (compliance); follow nextCursor until it is null",
          querystring: PageQuery,
          response: { 200: IncidentPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => listIncidents(services, contextOf(request), request.query),
    );

    app.get(
      "/incidents/:id",
      {
        schema: {
          tags,
          summary: "Read an incident with its timeline, team, tasks, blast radius and deadlines",
          params: IncidentIdParams,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, readIncident(services, contextOf(request), request.params.id)),
    );

    app.post(
      "/incidents/:id/status",
      {
        schema: {
          tags,
          summary: "Move the incident forward: open → contained → investigating → notifying → closed",
          params: IncidentIdParams,
          body: IncidentStatusSchema,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, changeIncidentStatus(services, contextOf(request), request.params.id, request.body.status)),
    );

    app.patch(
      "/incidents/:id/impact",
      {
        schema: {
          tags,
          summary: "Update the impact criteria; regrades and adds any duties now owed",
          params: IncidentIdParams,
          body: IncidentImpactSchema,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, updateIncidentImpact(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/incidents/:id/members",
      {
        schema: {
          tags,
          summary: "Add a response-team member with a role",
          params: IncidentIdParams,
          body: IncidentMemberSchema,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, addIncidentMember(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/incidents/:id/tasks",
      {
        schema: {
          tags,
          summary: "Add a task with an owner and a due date",
          params: IncidentIdParams,
          body: IncidentTaskSchema,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, addIncidentTask(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/incidents/:id/tasks/:itemId/done",
      {
        schema: { tags, summary: "Mark a task done", params: IncidentItemParams, response: { 200: IncidentRecordSchema, ...errors } },
      },
      async (request) => withAbilities(request, completeIncidentTask(services, contextOf(request), request.params.id, request.params.itemId)),
    );

    app.post(
      "/incidents/:id/duties/:itemId/done",
      {
        schema: {
          tags,
          summary: "Record that a notification duty was fulfilled",
          params: IncidentItemParams,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, completeIncidentDuty(services, contextOf(request), request.params.id, request.params.itemId)),
    );

    app.post(
      "/incidents/:id/blast-radius",
      {
        schema: {
          tags,
          summary: "Compute and attach which clients and fields an account or token read or exported in a window",
          params: IncidentIdParams,
          body: BlastRadiusSchema,
          response: { 200: IncidentRecordSchema, ...errors },
        },
      },
      async (request) => withAbilities(request, attachBlastRadius(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/incidents/:id/notices",
      {
        schema: {
          tags,
          summary: "Draft a notice (regulator or one affected client) in zh-CN or English",
          params: IncidentIdParams,
          body: NoticeDraftSchema,
          response: { 200: NoticeSchema, ...errors },
        },
      },
      async (request) => draftNotice(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/incidents/:id/notices/send",
      {
        schema: {
          tags,
          summary: "Send the personalised client notice by email to every affected client (or the given ones); records each send",
          params: IncidentIdParams,
          body: NoticeSendSchema,
          response: { 200: NoticeSendResultSchema, ...errors },
        },
      },
      async (request) => sendClientNotices(services, contextOf(request), request.params.id, request.body),
    );

    app.get(
      "/incidents/:id/notices/sends",
      {
        schema: {
          tags,
          summary: "The client notice sends of an incident, newest first, with delivery state and masked contact",
          params: IncidentIdParams,
          response: { 200: NoticeSendListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listNoticeSends(services, contextOf(request), request.params.id) }),
    );

    app.post(
      "/incidents/:id/evidence",
      {
        // The one route with a large body: a 5 MiB file in base64 JSON (no multipart parser is installed).
        bodyLimit: EVIDENCE_BODY_LIMIT,
        schema: {
          tags,
          summary: "Attach an evidence file (compliance or the response team); sealed under its own data key, SHA-256 recorded",
          params: IncidentIdParams,
          body: EvidenceUploadSchema,
          response: { 201: EvidenceItemSchema, ...errors, 413: ErrorSchema },
        },
      },
      async (request, reply) => {
        const content = decodeBase64(request.body.content);
        return reply.status(201).send(
          await uploadEvidence(services, contextOf(request), request.params.id, {
            filename: request.body.filename,
            mediaType: request.body.mediaType,
            content,
          }),
        );
      },
    );

    app.get(
      "/incidents/:id/evidence",
      {
        schema: {
          tags,
          summary: "List an incident's evidence files (metadata only)",
          params: IncidentIdParams,
          response: { 200: EvidenceListSchema, ...errors },
        },
      },
      async (request) => ({ items: await listEvidence(services, contextOf(request), request.params.id) }),
    );

    app.get(
      "/incidents/:id/evidence/:evidenceId/content",
      {
        schema: { tags, summary: "Download an evidence file (decrypted, digest checked; audited as evidence.read)", params: EvidenceParams },
        // No response schema: the answer is the file itself (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const file = await readEvidenceContent(services, contextOf(request), request.params.id, request.params.evidenceId);
        return reply
          .header("content-type", file.mediaType)
          .header("content-disposition", contentDisposition(`evidence-${request.params.evidenceId.slice(0, 8)}`, file.filename))
          .header("x-evidence-sha256", file.sha256)
          .header("cache-control", "no-store")
          .send(file.content);
      },
    );

    app.post(
      "/reports",
      {
        schema: {
          tags: ["reports"],
          summary: "Report suspected misuse (any staff member; optionally anonymous)",
          body: ReportCreateSchema,
          response: { 201: z.object({ id: z.string(), status: z.string() }), ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await fileReport(services, contextOf(request), request.body)),
    );

    app.get(
      "/reports",
      {
        schema: {
          tags: ["reports"],
          summary: "The triage queue of internal reports, newest first (compliance); follow nextCursor until it is null",
          querystring: ReportListQuery,
          response: { 200: ReportPageSchema, 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema },
        },
      },
      async (request) => listReports(services, contextOf(request), request.query),
    );

    app.get(
      "/reports/:id",
      {
        schema: {
          tags: ["reports"],
          summary: "Read a report with its investigation notes (compliance)",
          params: ReportIdParams,
          response: { 200: ReportSchema, ...errors },
        },
      },
      async (request) => readReport(services, contextOf(request), request.params.id),
    );

    app.patch(
      "/reports/:id",
      {
        schema: {
          tags: ["reports"],
          summary: "Triage a report: status, investigation note, link to an incident (compliance)",
          params: ReportIdParams,
          body: ReportUpdateSchema,
          response: { 200: ReportSchema, ...errors },
        },
      },
      async (request) => updateReport(services, contextOf(request), request.params.id, request.body),
    );
  };
