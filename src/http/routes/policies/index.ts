import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listLawChanges, recordLawChange } from "../../../governance/policies/law-changes.js";
import {
  addPolicyVersion,
  attestPolicy,
  createPolicy,
  listPolicies,
  policyAttestations,
  publishPolicyVersion,
  readPolicy,
  recordPolicyReview,
  updatePolicy,
} from "../../../governance/policies/policy-register.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AttestationRegisterSchema,
  AttestationSchema,
  AttestSchema,
  LawChangeEntrySchema,
  LawChangeListSchema,
  LawChangeSchema,
  PolicyCreateSchema,
  PolicyDetailSchema,
  PolicyIdParams,
  PolicyListSchema,
  PolicyPublishSchema,
  PolicyRefSchema,
  PolicyReviewSchema,
  PolicyUpdateSchema,
  PolicyVersionSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["policies"];

/**
 * Internal policies and the law-change log (issue #14, GOV-2). Everyone reads the published
 * policies and attests their own; compliance writes (`policy.manage`); compliance and the auditor
 * see the attestation register and the log (`policy.oversee`).
 */
export const policyRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/policies",
      {
        schema: {
          tags,
          summary: "Policies in force (drafts too for compliance), each with the caller's attestation",
          response: { 200: PolicyListSchema, ...errors },
        },
      },
      async (request) => listPolicies(services, contextOf(request)),
    );
    app.post(
      "/policies",
      {
        schema: { tags, summary: "Create a policy with its first version as a draft", body: PolicyCreateSchema, response: { 201: PolicyRefSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await createPolicy(services, contextOf(request), request.body)),
    );
    app.get(
      "/policies/law-changes",
      { schema: { tags, summary: "The law-change review log", response: { 200: LawChangeListSchema, ...errors } } },
      async (request) => listLawChanges(services, contextOf(request)),
    );
    app.post(
      "/policies/law-changes",
      {
        schema: {
          tags,
          summary: "Record a review of a change in the law: affected policies and the decision",
          body: LawChangeSchema,
          response: { 201: LawChangeEntrySchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordLawChange(services, contextOf(request), request.body)),
    );
    app.get(
      "/policies/:id",
      { schema: { tags, summary: "A policy with its versions (zh and en texts)", params: PolicyIdParams, response: { 200: PolicyDetailSchema, ...errors } } },
      async (request) => readPolicy(services, contextOf(request), request.params.id),
    );
    app.patch(
      "/policies/:id",
      {
        schema: {
          tags,
          summary: "Change a policy's titles, owner or review cycle, or retire it",
          params: PolicyIdParams,
          body: PolicyUpdateSchema,
          response: { 200: PolicyRefSchema, ...errors },
        },
      },
      async (request) => updatePolicy(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/policies/:id/versions",
      {
        schema: { tags, summary: "Draft a new version", params: PolicyIdParams, body: PolicyVersionSchema, response: { 201: PolicyRefSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await addPolicyVersion(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/policies/:id/publish",
      {
        schema: {
          tags,
          summary: "Publish a version: it becomes current, staff must attest it, the next review is set",
          params: PolicyIdParams,
          body: PolicyPublishSchema,
          response: { 200: PolicyRefSchema, ...errors },
        },
      },
      async (request) => publishPolicyVersion(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/policies/:id/reviews",
      {
        schema: {
          tags,
          summary: "Record a periodic review without change: the next review moves a cycle on",
          params: PolicyIdParams,
          body: PolicyReviewSchema,
          response: { 200: PolicyRefSchema, ...errors },
        },
      },
      async (request) => recordPolicyReview(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/policies/:id/attest",
      {
        schema: {
          tags,
          summary: "Attest that the caller has read the current version",
          params: PolicyIdParams,
          body: AttestSchema,
          response: { 200: AttestationSchema, ...errors },
        },
      },
      async (request) => attestPolicy(services, contextOf(request), request.params.id, request.body.version),
    );
    app.get(
      "/policies/:id/attestations",
      {
        schema: {
          tags,
          summary: "Who has attested the current version, and who has not",
          params: PolicyIdParams,
          response: { 200: AttestationRegisterSchema, ...errors },
        },
      },
      async (request) => policyAttestations(services, contextOf(request), request.params.id),
    );
  };
