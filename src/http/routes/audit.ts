import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { listAuditEvents, proveAuditEvent } from "../../platform/audit/audit-queries.js";
import { verifyAuditLog } from "../../platform/audit/audit-verification.js";
import type { AuditChainVerifier } from "../../platform/audit/audit-verify-runner.js";
import type { Services } from "../../platform/services.js";
import { contextOf } from "../authenticate.js";
import { ErrorSchema } from "./clients/schema.js";

const isoTime = z.iso.datetime({ offset: true });

export const auditRoutes =
  (services: Services, verifier: AuditChainVerifier): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/audit",
      {
        schema: {
          tags: ["audit"],
          summary: "Audit trail: who accessed what, when, for what purpose, with what outcome",
          querystring: z.strictObject({
            clientId: z.uuid().optional(),
            actorId: z.string().max(64).optional(),
            action: z
              .string()
              .regex(/^[a-z][a-z._]{0,63}$/)
              .optional(),
            outcome: z.enum(["success", "denied", "failure"]).optional(),
            routine: z
              .enum(["show", "hide"])
              .default("show")
              .describe("`hide` leaves out list entries, lookups and reads of the log, KPIs and work queues (client.list_item, client.lookup, …)"),
            from: isoTime.optional(),
            to: isoTime.optional(),
            before: z.coerce.number().int().positive().optional(),
            limit: z.coerce.number().int().min(1).max(500).default(100),
          }),
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  seq: z.number().describe("Arrival number (newest-first paging)"),
                  position: z.number().nullable().describe("Place in the Merkle log; null while pending (placed and signed within about a second)"),
                  at: z.string(),
                  actorId: z.string().nullable(),
                  actorRole: z.string().nullable(),
                  action: z.string(),
                  targetType: z.string().nullable(),
                  targetId: z.string().nullable(),
                  purpose: z.string().nullable(),
                  outcome: z.string(),
                  reason: z.string().nullable(),
                  requestId: z.string().nullable(),
                  details: z.unknown(),
                }),
              ),
              nextBefore: z.number().nullable(),
            }),
            400: ErrorSchema,
            401: ErrorSchema,
            403: ErrorSchema,
          },
        },
      },
      async (request) => {
        const q = request.query;
        const norm = (t?: string) => (t ? new Date(t).toISOString() : undefined);
        const { routine, ...filter } = q;
        return listAuditEvents(services, contextOf(request), { ...filter, hideRoutine: routine === "hide", from: norm(q.from), to: norm(q.to) });
      },
    );

    app.get(
      "/audit/events/:id/proof",
      {
        schema: {
          tags: ["audit"],
          summary: "An audit event's inclusion proof under a freshly signed checkpoint (RFC 9162, C2SP tlog-checkpoint)",
          description:
            "Check offline: recompute the event's chain hash from its columns (see README, Audit log), take SHA-256(0x00 || hash) as the leaf, and verify the audit path against the root in the checkpoint note, whose Ed25519 signature verifies with the firm's published key (`custodia audit key`).",
          params: z.strictObject({ id: z.string().min(1).max(64) }),
          response: {
            200: z.object({
              vkey: z.string(),
              treeSize: z.number(),
              checkpoint: z.string(),
              index: z.number(),
              proof: z.array(z.string()),
              event: z.object({
                seq: z.number(),
                id: z.string(),
                at: z.string(),
                actor_id: z.string().nullable(),
                actor_role: z.string().nullable(),
                action: z.string(),
                target_type: z.string().nullable(),
                target_id: z.string().nullable(),
                purpose: z.string().nullable(),
                outcome: z.string(),
                reason: z.string().nullable(),
                request_id: z.string().nullable(),
                details: z.string().nullable(),
                prev_hash: z.string(),
              }),
            }),
            400: ErrorSchema,
            401: ErrorSchema,
            403: ErrorSchema,
            404: ErrorSchema,
          },
        },
      },
      async (request) => proveAuditEvent(services, contextOf(request), request.params.id),
    );

    app.get(
      "/audit/verify",
      {
        schema: {
          tags: ["audit"],
          summary: "Verify the hash chain and the signed checkpoints, as `custodia audit verify` does",
          description:
            "The walk runs off the request thread, one at a time: a call made while one runs shares its result. `maxAgeSeconds` accepts a result that recent (0, the default, asks for a new walk); `verifiedAt` says when the walk started.",
          querystring: z.strictObject({
            maxAgeSeconds: z.coerce.number().int().min(0).max(3600).default(0),
          }),
          response: {
            200: z.object({
              ok: z.boolean(),
              eventsChecked: z.number(),
              checkpointsChecked: z.number(),
              firstBad: z
                .object({
                  seq: z.number(),
                  problem: z.enum([
                    "sequence_gap",
                    "broken_link",
                    "hash_mismatch",
                    "checkpoint_signature",
                    "checkpoint_mismatch",
                    "tree_mismatch",
                    "truncated",
                  ]),
                })
                .nullable(),
              verifiedAt: z.string(),
            }),
            400: ErrorSchema,
            401: ErrorSchema,
            403: ErrorSchema,
            503: ErrorSchema,
          },
        },
      },
      async (request) => verifyAuditLog(services, contextOf(request), verifier, request.query.maxAgeSeconds * 1000),
    );
  };
