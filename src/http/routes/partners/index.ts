import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { assessPartner, listQuestionnaire, updateQuestion } from "../../../governance/partners/partner-assessments.js";
import { addContract, terminateContract } from "../../../governance/partners/partner-contracts.js";
import { recordPartnerIncident } from "../../../governance/partners/partner-incidents.js";
import { listPartners } from "../../../governance/partners/partner-lister.js";
import { addPartnerContact, createPartner, readPartner, removePartnerContact, updatePartner } from "../../../governance/partners/partner-register.js";
import { addPia, addTransferBasis, deletePia, setTransferBasisVerified } from "../../../governance/partners/partner-transfers.js";
import type { Services } from "../../../platform/services.js";
import { partnerHoldings } from "../../../records/disclosures/disclosure-queries.js";
import { reviewPartnerAssessment } from "../../../governance/partners/assessment-review.js";
import { openQuestionnaireLink, submitQuestionnaireLink } from "../../../governance/partners/questionnaire-answers.js";
import { issueQuestionnaireLink, revokeQuestionnaireLink } from "../../../governance/partners/questionnaire-links.js";
import { PartnerHoldingsSchema } from "../disclosures/schema.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AssessmentReviewParams,
  AssessmentReviewSchema,
  IssuedLinkSchema,
  LinkIssueSchema,
  PublicLinkOpenSchema,
  PublicLinkSubmitSchema,
  PublicQuestionnaireSchema,
  PublicSubmitResultSchema,
  QuestionnaireLinkSchema,
  AssessmentCreateSchema,
  AssessmentResultSchema,
  ContactCreateSchema,
  ContractCreateSchema,
  ContractTerminateSchema,
  PartnerChildParams,
  PartnerCreateSchema,
  PartnerIdParams,
  PartnerIncidentCreateSchema,
  PartnerListQuery,
  PartnerListSchema,
  PartnerSchema,
  PartnerUpdateSchema,
  PiaCreateSchema,
  QuestionnaireSchema,
  QuestionParams,
  QuestionSchema,
  QuestionUpdateSchema,
  TransferBasisCreateSchema,
  TransferVerifySchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["partners"];

/**
 * The partner register (issue #13, VEN-1..4): partners, due diligence, contracts, impact
 * assessments, cross-border transfer bases and partner incidents. Reading takes `partner.read`
 * (partners, lawyers, compliance), changing `partner.manage` (compliance); every call is audited.
 */
export const partnerRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/partners",
      {
        schema: {
          tags,
          summary: "The partner register with status, risk, next re-assessment and readiness",
          querystring: PartnerListQuery,
          response: { 200: PartnerListSchema, ...errors },
        },
      },
      async (request) => listPartners(services, contextOf(request), request.query),
    );
    app.post(
      "/partners",
      { schema: { tags, summary: "Register a partner (contacts are sealed at rest)", body: PartnerCreateSchema, response: { 201: PartnerSchema, ...errors } } },
      async (request, reply) => reply.status(201).send(await createPartner(services, contextOf(request), request.body)),
    );
    app.get(
      "/partners/questionnaire",
      { schema: { tags, summary: "The due-diligence questionnaire (editable data, zh-CN and en)", response: { 200: QuestionnaireSchema, ...errors } } },
      async (request) => listQuestionnaire(services, contextOf(request)),
    );
    app.patch(
      "/partners/questionnaire/:code",
      {
        schema: {
          tags,
          summary: "Edit a question: texts, risk per answer, active",
          params: QuestionParams,
          body: QuestionUpdateSchema,
          response: { 200: QuestionSchema, ...errors },
        },
      },
      async (request) => updateQuestion(services, contextOf(request), request.params.code, request.body),
    );
    app.get(
      "/partners/:id",
      {
        schema: {
          tags,
          summary: "A partner with assessments, contracts, impact assessments, transfer bases and incidents",
          params: PartnerIdParams,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => readPartner(services, contextOf(request), request.params.id),
    );
    app.patch(
      "/partners/:id",
      {
        schema: {
          tags,
          summary: "Change a partner's details or status",
          params: PartnerIdParams,
          body: PartnerUpdateSchema,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => updatePartner(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/partners/:id/contacts",
      {
        schema: {
          tags,
          summary: "Add a contact person (sealed at rest)",
          params: PartnerIdParams,
          body: ContactCreateSchema,
          response: { 201: PartnerSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await addPartnerContact(services, contextOf(request), request.params.id, request.body)),
    );
    app.delete(
      "/partners/:id/contacts/:childId",
      { schema: { tags, summary: "Remove a contact person", params: PartnerChildParams, response: { 200: PartnerSchema, ...errors } } },
      async (request) => removePartnerContact(services, contextOf(request), request.params.id, request.params.childId),
    );
    app.post(
      "/partners/:id/assessments",
      {
        schema: {
          tags,
          summary: "Record a due-diligence assessment; scored into a risk level with the answers that raised it",
          params: PartnerIdParams,
          body: AssessmentCreateSchema,
          response: { 201: AssessmentResultSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await assessPartner(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/partners/:id/contracts",
      {
        schema: {
          tags,
          summary: "Record a DPA, entrusted-processing agreement, NDA or standard contract with the PIPL Art 21 checklist",
          params: PartnerIdParams,
          body: ContractCreateSchema,
          response: { 201: PartnerSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await addContract(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/partners/:id/contracts/:childId/terminate",
      {
        schema: {
          tags,
          summary: "End a contract early",
          params: PartnerChildParams,
          body: ContractTerminateSchema,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => terminateContract(services, contextOf(request), request.params.id, request.params.childId, request.body.on),
    );
    app.post(
      "/partners/:id/pias",
      {
        schema: {
          tags,
          summary: "Record a PI protection impact assessment (PIPL Art 55–56; kept 3 years)",
          params: PartnerIdParams,
          body: PiaCreateSchema,
          response: { 201: PartnerSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await addPia(services, contextOf(request), request.params.id, request.body)),
    );
    app.delete(
      "/partners/:id/pias/:childId",
      {
        schema: {
          tags,
          summary: "Delete an impact assessment: refused (409 pia_retention_period) before 3 years",
          params: PartnerChildParams,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => deletePia(services, contextOf(request), request.params.id, request.params.childId),
    );
    app.post(
      "/partners/:id/transfers",
      {
        schema: {
          tags,
          summary: "Record a cross-border transfer basis (PIPL Art 38, GDPR Chapter V)",
          params: PartnerIdParams,
          body: TransferBasisCreateSchema,
          response: { 201: PartnerSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await addTransferBasis(services, contextOf(request), request.params.id, request.body)),
    );
    app.put(
      "/partners/:id/transfers/:childId/verified",
      {
        schema: {
          tags,
          summary: "Mark a transfer basis verified or unverified",
          params: PartnerChildParams,
          body: TransferVerifySchema,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => setTransferBasisVerified(services, contextOf(request), request.params.id, request.params.childId, request.body.verified),
    );
    app.post(
      "/partners/:id/incidents",
      {
        schema: {
          tags,
          summary: "Record an incident at the partner, linked to a Custodia incident",
          params: PartnerIdParams,
          body: PartnerIncidentCreateSchema,
          response: { 201: PartnerSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordPartnerIncident(services, contextOf(request), request.params.id, request.body)),
    );
    // One-time questionnaire links (issue #13, VEN-1): the partner answers without a staff sign-in; compliance confirms.
    app.post(
      "/partners/:id/questionnaire-links",
      {
        schema: {
          tags,
          summary: "Issue a one-time link for a partner contact to answer the questionnaire (optionally emailed); the token is shown once",
          params: PartnerIdParams,
          body: LinkIssueSchema,
          response: { 201: IssuedLinkSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await issueQuestionnaireLink(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/partners/:id/questionnaire-links/:childId/revoke",
      {
        schema: {
          tags,
          summary: "Revoke a questionnaire link not yet used: it stops working at once",
          params: PartnerChildParams,
          response: { 200: QuestionnaireLinkSchema, ...errors },
        },
      },
      async (request) => revokeQuestionnaireLink(services, contextOf(request), request.params.id, request.params.childId),
    );
    app.post(
      "/partners/:id/assessments/:childId/review",
      {
        schema: {
          tags,
          summary: "Confirm or reject an assessment the partner answered itself; only a confirmed one counts for sharing",
          params: AssessmentReviewParams,
          body: AssessmentReviewSchema,
          response: { 200: PartnerSchema, ...errors },
        },
      },
      async (request) => reviewPartnerAssessment(services, contextOf(request), request.params.id, request.params.childId, request.body.decision),
    );
    // Who outside holds what (issue #13, RET-3): the partner's disclosures and each client's status.
    app.get(
      "/partners/:id/holdings",
      {
        schema: {
          tags,
          summary: "What this partner holds: its disclosures, by client id, and whether each was returned or deleted",
          params: PartnerIdParams,
          response: { 200: PartnerHoldingsSchema, ...errors },
        },
      },
      async (request) => partnerHoldings(services, contextOf(request), request.params.id),
    );
  };

const publicErrors = { 400: ErrorSchema, 404: ErrorSchema, 410: ErrorSchema, 429: ErrorSchema };
/**
 * Per client address and minute in this process, against bursts, on top of the API-wide limit; the
 * audited per-address count in the database (30 an hour, shared by every server) is the main one.
 */
const PUBLIC_RATE_LIMIT = { max: 60, timeWindow: "1 minute" };

/**
 * The partner's side of a questionnaire link: no staff sign-in, no cookie. The token travels in the
 * JSON body (a cross-site form cannot send one, and it stays out of request logs, which record
 * paths). An unknown link and a wrong secret are the same 404; a used, revoked or expired one is 410.
 */
export const publicPartnerQuestionnaireRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/partner-questionnaire/open",
      {
        config: { rateLimit: PUBLIC_RATE_LIMIT },
        schema: {
          tags,
          summary: "Open a questionnaire link: the firm, the partner's name, the expiry and the questions (public)",
          security: [],
          body: PublicLinkOpenSchema,
          response: { 200: PublicQuestionnaireSchema, ...publicErrors },
        },
      },
      async (request) => openQuestionnaireLink(services, { requestId: request.id, address: request.ip }, request.body.token),
    );
    app.post(
      "/partner-questionnaire/submit",
      {
        config: { rateLimit: PUBLIC_RATE_LIMIT },
        schema: {
          tags,
          summary: "Submit the answers once: they become an assessment waiting for compliance's review (public)",
          security: [],
          body: PublicLinkSubmitSchema,
          response: { 201: PublicSubmitResultSchema, ...publicErrors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await submitQuestionnaireLink(services, { requestId: request.id, address: request.ip }, request.body.token, request.body.answers)),
    );
  };
