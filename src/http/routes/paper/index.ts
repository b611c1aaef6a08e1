import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { createLocation, listLocations } from "../../../records/paper/archive-locations.js";
import { listControlChecks, recordControlCheck } from "../../../records/paper/control-checks.js";
import { checkIn, checkOut, decideCheckout, decideCopy, listCheckouts, recordCopy } from "../../../records/paper/paper-checkouts.js";
import { destructionCertificate, listDestructions, recordDestruction } from "../../../records/paper/paper-destruction.js";
import { labelSheet, listFiles, readPaperFile, registerFile } from "../../../records/paper/paper-register.js";
import { closeStocktake, listStocktakes, openStocktake, readStocktake, scanCode } from "../../../records/paper/stocktake.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  CheckoutCreateSchema,
  CheckoutListQuery,
  CheckoutSchema,
  ControlCheckCreateSchema,
  ControlCheckListQuery,
  ControlCheckSchema,
  CopyCreateSchema,
  CopySchema,
  DestructionCreateSchema,
  DestructionSchema,
  FileRegisterSchema,
  LabelsQuery,
  LocationCreateSchema,
  LocationSchema,
  PaperDecisionSchema,
  PaperFileDetailSchema,
  PaperFileListQuery,
  PaperFileSchema,
  PaperIdParams,
  ScanResultSchema,
  ScanSchema,
  StocktakeListSchema,
  StocktakeOpenSchema,
  StocktakeSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["paper"];

/**
 * Paper files (issue #14, PAP-1, PAP-2): the archive's places, files and their labels, check-outs
 * and copies (L3+ approved by a second person), stocktakes, destructions and archive-room control
 * checks. Every call is audited; the policy decides (src/access/policy/policy.ts).
 */
export const paperRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/paper/locations",
      { schema: { tags, summary: "The archive's rooms, cabinets and shelves", response: { 200: z.object({ items: z.array(LocationSchema) }), ...errors } } },
      async (request) => listLocations(services, contextOf(request)),
    );
    app.post(
      "/paper/locations",
      {
        schema: {
          tags,
          summary: "Add a room, a cabinet in a room or a shelf in a cabinet",
          body: LocationCreateSchema,
          response: { 201: LocationSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createLocation(services, contextOf(request), request.body)),
    );
    app.get(
      "/paper/files",
      {
        schema: {
          tags,
          summary: "The paper-file register, as the reader needs to know it (never across a wall)",
          querystring: PaperFileListQuery,
          response: { 200: z.object({ items: z.array(PaperFileSchema) }), ...errors },
        },
      },
      async (request) => listFiles(services, contextOf(request), request.query),
    );
    app.post(
      "/paper/files",
      {
        schema: {
          tags,
          summary: "Register a client's paper file: a label code is issued, the title sealed with the client's key",
          body: FileRegisterSchema,
          response: { 201: PaperFileSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await registerFile(services, contextOf(request), request.body)),
    );
    app.get(
      "/paper/files/:id",
      { schema: { tags, summary: "A paper file with its check-outs and copies", params: PaperIdParams, response: { 200: PaperFileDetailSchema, ...errors } } },
      async (request) => readPaperFile(services, contextOf(request), request.params.id),
    );
    app.get(
      "/paper/labels",
      {
        schema: {
          tags,
          summary: "A PDF label sheet (A4, 24 labels a page): QR and text of the code, the reference, never the client",
          querystring: LabelsQuery,
        },
        // No response schema: the answer is the PDF itself (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const pdf = await labelSheet(services, contextOf(request), request.query.ids.split(","));
        return reply
          .header("content-type", "application/pdf")
          .header("content-disposition", 'attachment; filename="paper-labels.pdf"')
          .header("cache-control", "no-store")
          .send(pdf);
      },
    );
    app.get(
      "/paper/checkouts",
      {
        schema: {
          tags,
          summary: "Check-outs and copies (all for the archive keeper and overseers; a borrower's own otherwise)",
          querystring: CheckoutListQuery,
          response: { 200: z.object({ items: z.array(CheckoutSchema), copies: z.array(CopySchema) }), ...errors },
        },
      },
      async (request) => listCheckouts(services, contextOf(request), { status: request.query.status, overdue: request.query.overdue === "true" }),
    );
    app.post(
      "/paper/checkouts",
      {
        schema: {
          tags,
          summary: "Check a file out to a borrower for a registered purpose until a due day (L3+: waits for an approver)",
          body: CheckoutCreateSchema,
          response: { 201: CheckoutSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await checkOut(services, contextOf(request), request.body)),
    );
    app.post(
      "/paper/checkouts/:id/decision",
      {
        schema: {
          tags,
          summary: "Approve or reject an L3+ check-out (not the borrower, not who recorded it)",
          params: PaperIdParams,
          body: PaperDecisionSchema,
          response: { 200: CheckoutSchema, ...errors },
        },
      },
      async (request) => decideCheckout(services, contextOf(request), request.params.id, request.body),
    );
    app.post(
      "/paper/checkouts/:id/return",
      { schema: { tags, summary: "Check a file back in", params: PaperIdParams, response: { 200: CheckoutSchema, ...errors } } },
      async (request) => checkIn(services, contextOf(request), request.params.id),
    );
    app.post(
      "/paper/copies",
      {
        schema: {
          tags,
          summary: "Record copies made of a file: who, how many, why (L3+: waits for an approver)",
          body: CopyCreateSchema,
          response: { 201: CopySchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordCopy(services, contextOf(request), request.body)),
    );
    app.post(
      "/paper/copies/:id/decision",
      {
        schema: {
          tags,
          summary: "Approve or reject L3+ copies (not the copier, not who recorded them)",
          params: PaperIdParams,
          body: PaperDecisionSchema,
          response: { 200: CopySchema, ...errors },
        },
      },
      async (request) => decideCopy(services, contextOf(request), request.params.id, request.body),
    );
    app.get("/paper/stocktakes", { schema: { tags, summary: "Stocktake sessions", response: { 200: StocktakeListSchema, ...errors } } }, async (request) =>
      listStocktakes(services, contextOf(request)),
    );
    app.post(
      "/paper/stocktakes",
      {
        schema: { tags, summary: "Open a stocktake of a room or the whole archive", body: StocktakeOpenSchema, response: { 201: StocktakeSchema, ...errors } },
      },
      async (request, reply) => reply.status(201).send(await openStocktake(services, contextOf(request), request.body)),
    );
    app.get(
      "/paper/stocktakes/:id",
      {
        schema: {
          tags,
          summary: "A stocktake with its report (while open: what closing now would report)",
          params: PaperIdParams,
          response: { 200: StocktakeSchema, ...errors },
        },
      },
      async (request) => readStocktake(services, contextOf(request), request.params.id),
    );
    app.post(
      "/paper/stocktakes/:id/scans",
      {
        schema: {
          tags,
          summary: "Scan a label code (typed or read by a camera), optionally where it was found",
          params: PaperIdParams,
          body: ScanSchema,
          response: { 201: ScanResultSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await scanCode(services, contextOf(request), request.params.id, request.body)),
    );
    app.post(
      "/paper/stocktakes/:id/close",
      {
        schema: {
          tags,
          summary: "Close a stocktake and keep its report: out, missing, unexpected, misplaced",
          params: PaperIdParams,
          response: { 200: StocktakeSchema, ...errors },
        },
      },
      async (request) => closeStocktake(services, contextOf(request), request.params.id),
    );
    app.get(
      "/paper/destructions",
      { schema: { tags, summary: "Destruction records of paper files", response: { 200: z.object({ items: z.array(DestructionSchema) }), ...errors } } },
      async (request) => listDestructions(services, contextOf(request)),
    );
    app.post(
      "/paper/destructions",
      {
        schema: {
          tags,
          summary: "Record the destruction of paper files (retention schedule due, no legal hold, witnesses)",
          body: DestructionCreateSchema,
          response: { 201: DestructionSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordDestruction(services, contextOf(request), request.body)),
    );
    app.get(
      "/paper/destructions/:id/certificate",
      { schema: { tags, summary: "The destruction certificate (PDF)", params: PaperIdParams } },
      async (request, reply) => {
        const pdf = await destructionCertificate(services, contextOf(request), request.params.id);
        return reply
          .header("content-type", "application/pdf")
          .header("content-disposition", `attachment; filename="paper-destruction-${request.params.id.slice(0, 8)}.pdf"`)
          .header("cache-control", "no-store")
          .send(pdf);
      },
    );
    app.get(
      "/paper/control-checks",
      {
        schema: {
          tags,
          summary: "Archive-room control checks (access control, CCTV)",
          querystring: ControlCheckListQuery,
          response: { 200: z.object({ items: z.array(ControlCheckSchema) }), ...errors },
        },
      },
      async (request) => listControlChecks(services, contextOf(request), request.query),
    );
    app.post(
      "/paper/control-checks",
      {
        schema: {
          tags,
          summary: "Record an archive-room check (notes sealed)",
          body: ControlCheckCreateSchema,
          response: { 201: ControlCheckSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await recordControlCheck(services, contextOf(request), request.body)),
    );
  };
