import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  decideDestruction,
  executeDestruction,
  readCertificate,
  readDestructionBatch,
  requestDestruction,
  retentionStatistics,
} from "../../../governance/retention/destruction.js";
import { listSchedules, PERIOD_UNITS, RECORD_CLASSES, RETENTION_TRIGGERS, updateSchedule } from "../../../governance/retention/retention-schedule.js";
import { retentionSweep } from "../../../governance/retention/retention-sweeper.js";
import { BATCH_STATUSES, listDestructionBatches } from "../../../governance/retention/destruction-lister.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema, PageQuery } from "../clients/schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };

export const ScheduleSchema = z.object({
  recordClass: z.enum(RECORD_CLASSES),
  trigger: z.enum(RETENTION_TRIGGERS),
  periodUnit: z.enum(PERIOD_UNITS),
  periodAmount: z.number().int(),
  isDefault: z.boolean().describe("A seeded default nobody has confirmed yet"),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export const ScheduleUpdateSchema = z.strictObject({
  trigger: z.enum(RETENTION_TRIGGERS),
  periodUnit: z.enum(PERIOD_UNITS),
  periodAmount: z.number().int().min(1).max(1200),
});
export type ScheduleUpdateRequest = z.infer<typeof ScheduleUpdateSchema>;
export const SweepSchema = z.object({
  asOf: z.string(),
  due: z.array(
    z.object({ clientId: z.string(), recordClasses: z.array(z.enum(RECORD_CLASSES)), triggeredAt: z.string(), dueAt: z.string(), matters: z.number().int() }),
  ),
  held: z.array(z.object({ clientId: z.string(), holdId: z.string(), dueAt: z.string() })),
});
export const SweepRequestSchema = z.strictObject({
  asOf: z.iso.datetime().optional().describe("Preview the sweep at another time; destruction always uses the present"),
});
export const BatchSchema = z.object({
  id: z.string(),
  status: z.enum(["pending", "approved", "rejected", "executed"]),
  clientIds: z.array(z.string()),
  requestedBy: z.string(),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  executedAt: z.string().nullable(),
  certificateId: z.string().nullable(),
});
export const BatchListItemSchema = BatchSchema.omit({ clientIds: true }).extend({
  clientCount: z.number().int().describe("Clients the batch names; GET /retention/batches/{id} lists them"),
});
export const BatchPageSchema = z.object({ items: z.array(BatchListItemSchema), nextCursor: z.string().nullable() });
export const BatchListQuery = PageQuery.extend({ status: z.enum(BATCH_STATUSES).optional() });
export const BatchCreateSchema = z.strictObject({
  clientIds: z.array(z.uuid()).min(1).max(1000).optional().describe("Default: every client due now (at most 1000)"),
});
export type BatchCreateRequest = z.infer<typeof BatchCreateSchema>;
export const CertificateSchema = z.object({
  id: z.string(),
  batchId: z.string(),
  issuedAt: z.string(),
  method: z.string(),
  recordCounts: z.record(z.string(), z.number()),
  clientIds: z.array(z.string()),
  skipped: z.array(z.object({ clientId: z.string(), reason: z.string() })),
  requestedBy: z.string(),
  approvers: z.array(z.object({ userId: z.string(), decidedAt: z.string() })),
  notify: z.array(z.object({ clientId: z.string(), userIds: z.array(z.string()) })),
  notifySource: z.literal("matter_team"),
  audit: z.object({ seqFrom: z.number().nullable(), seqTo: z.number().nullable() }),
  outsideHolders: z
    .array(
      z.object({
        clientId: z.string(),
        disclosureId: z.string(),
        partnerId: z.string(),
        partnerName: z.string(),
        disclosedAt: z.string(),
        status: z.string(),
        returnRequestedAt: z.string().nullable(),
        confirmedAt: z.string().nullable(),
        confirmationReference: z.string().nullable(),
      }),
    )
    .describe("Partners holding copies of the destroyed clients' data (RET-3): return/delete requests and their confirmations"),
});
const id = z.strictObject({ id: z.uuid() });

/** Retention schedules, the sweep, destruction batches and certificates: compliance (`retention.manage`). */
export const retentionRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/retention/schedules",
      {
        schema: {
          tags: ["retention"],
          summary: "Retention schedules per record class",
          response: { 200: z.object({ items: z.array(ScheduleSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listSchedules(services, contextOf(request)) }),
    );

    app.put(
      "/retention/schedules/:recordClass",
      {
        schema: {
          tags: ["retention"],
          summary: "Change a retention schedule",
          params: z.strictObject({ recordClass: z.enum(RECORD_CLASSES) }),
          body: ScheduleUpdateSchema,
          response: { 200: ScheduleSchema, ...errors },
        },
      },
      async (request) => updateSchedule(services, contextOf(request), request.params.recordClass, request.body),
    );

    app.post(
      "/retention/sweep",
      {
        schema: {
          tags: ["retention"],
          summary: "List clients due for destruction (held clients apart)",
          body: SweepRequestSchema.optional(),
          response: { 200: SweepSchema, ...errors },
        },
      },
      async (request) => retentionSweep(services, contextOf(request), request.body?.asOf ?? new Date().toISOString()),
    );

    app.post(
      "/retention/batches",
      {
        schema: { tags: ["retention"], summary: "Ask for the destruction of due clients", body: BatchCreateSchema, response: { 201: BatchSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await requestDestruction(services, contextOf(request), request.body)),
    );

    app.get(
      "/retention/batches",
      {
        schema: {
          tags: ["retention"],
          summary: "Destruction batches, newest first; follow nextCursor until it is null",
          querystring: BatchListQuery,
          response: { 200: BatchPageSchema, ...errors },
        },
      },
      async (request) => listDestructionBatches(services, contextOf(request), request.query),
    );

    app.get(
      "/retention/batches/:id",
      {
        schema: { tags: ["retention"], summary: "A destruction batch", params: id, response: { 200: BatchSchema, ...errors } },
      },
      async (request) => readDestructionBatch(services, contextOf(request), request.params.id),
    );

    for (const verdict of ["approve", "reject"] as const) {
      app.post(
        `/retention/batches/:id/${verdict}`,
        {
          schema: {
            tags: ["retention"],
            summary: `${verdict === "approve" ? "Approve" : "Reject"} a destruction batch (one compliance officer, not the requester)`,
            params: id,
            response: { 200: BatchSchema, ...errors },
          },
        },
        async (request) => decideDestruction(services, contextOf(request), request.params.id, verdict),
      );
    }

    app.post(
      "/retention/batches/:id/execute",
      {
        schema: {
          tags: ["retention"],
          summary: "Crypto-shred an approved batch and issue its certificate",
          params: id,
          response: { 200: CertificateSchema, ...errors },
        },
      },
      async (request) => executeDestruction(services, contextOf(request), request.params.id),
    );

    app.get(
      "/retention/certificates/:id",
      {
        schema: { tags: ["retention"], summary: "A destruction certificate", params: id, response: { 200: CertificateSchema, ...errors } },
      },
      async (request) => readCertificate(services, contextOf(request), request.params.id),
    );

    app.get(
      "/retention/statistics",
      {
        schema: {
          tags: ["retention"],
          summary: "Anonymised counts of destroyed clients and matters by practice area and year",
          response: {
            200: z.object({ items: z.array(z.object({ practiceArea: z.string(), year: z.number(), clients: z.number(), matters: z.number() })) }),
            ...errors,
          },
        },
      },
      async (request) => ({ items: await retentionStatistics(services, contextOf(request)) }),
    );
  };
