import fastifyMultipart, { type MultipartFile } from "@fastify/multipart";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, ValidationError } from "../../../platform/errors.js";
import type { Services } from "../../../platform/services.js";
import { downloadDocument, previewDocument } from "../../../records/documents/document-downloader.js";
import { changeDocumentLock } from "../../../records/documents/document-lock.js";
import { listDocuments, readDocument } from "../../../records/documents/document-reader.js";
import { traceLeak } from "../../../records/documents/document-tracer.js";
import { makeRedactedCopy } from "../../../records/documents/document-redactor.js";
import { uploadDocument, uploadVersion } from "../../../records/documents/document-uploader.js";
import { contextOf } from "../../authenticate.js";
import { contentDisposition } from "../../content-disposition.js";
import { ErrorSchema } from "../clients/schema.js";
import { DocumentDetailSchema, DocumentSchema, PreviewSchema, TraceSchema, UploadFieldsSchema } from "./schema.js";

const tags = ["documents"];
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema, 413: ErrorSchema };
const DocumentParams = z.strictObject({ id: z.uuid() });
const VersionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });
/** A leaked file given to trace is held in memory: PDFs and DOCX are read whole anyway. */
const TRACE_MAX_BYTES = 256 * 1024 * 1024;

const NoFileError = () =>
  ValidationError([{ field: "file", code: "required", message: "Send the file as the multipart part named file, after the other fields." }]);

/** The single file part of a multipart request, with the text fields sent before it. */
async function filePart(request: FastifyRequest): Promise<MultipartFile> {
  if (!request.isMultipart()) throw new AppError(415, "unsupported_media_type", "Send multipart/form-data with the file in a part named file.");
  const part = await request.file();
  if (part?.fieldname !== "file") throw NoFileError();
  return part;
}

function fieldsOf(part: MultipartFile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of Object.entries(part.fields)) {
    const one = Array.isArray(field) ? field[0] : field;
    if (one && one.type === "field" && typeof one.value === "string") out[name] = one.value;
  }
  return out;
}

/** Whatever the use case did with the stream, nothing of it is left waiting on the socket. */
async function consumed<T>(part: MultipartFile, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } finally {
    if (!part.file.readableEnded) part.file.resume();
  }
}

const multipartBody = {
  description:
    "multipart/form-data: the text fields first, then the file in a part named `file`. The media type is taken from the content's magic bytes; the size limit is CUSTODIA_DOCUMENT_MAX_BYTES (default 1 GiB).",
};

/** Client documents (issue #11): encrypted files with PII findings, versions, a check-out lock, fingerprinted copies. */
export const documentRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    await app.register(fastifyMultipart, {
      // One file per request; the meter refuses past the limit, busboy's own limit is a backstop.
      limits: { files: 1, fields: 8, fieldSize: 1024, fileSize: Math.max(services.documentMaxBytes, TRACE_MAX_BYTES) + 1, parts: 9 },
      throwFileSizeLimit: false,
    });

    app.post(
      "/clients/:id/documents",
      {
        schema: {
          tags,
          summary: "Upload a document to a client (fields: title, category, optional level, matterId, filename; then file); scanned for PII",
          description: multipartBody.description,
          params: DocumentParams,
          consumes: ["multipart/form-data"],
          response: { 201: DocumentSchema, ...errors },
        },
      },
      async (request, reply) => {
        const part = await filePart(request);
        const fields = UploadFieldsSchema.parse(fieldsOf(part));
        const level = fields.level === undefined || fields.level === "" ? null : Number(fields.level);
        const draft = {
          clientId: request.params.id,
          matterId: fields.matterId || null,
          category: fields.category ?? "",
          level,
          title: fields.title ?? "",
          filename: fields.filename || part.filename || "",
        };
        const document = await consumed(part, uploadDocument(services, contextOf(request), draft, part.file));
        return reply.status(201).send(document);
      },
    );

    app.post(
      "/documents/:id/versions",
      {
        schema: {
          tags,
          summary: "Upload a new version (refused while someone else has the document checked out)",
          description: multipartBody.description,
          params: DocumentParams,
          consumes: ["multipart/form-data"],
          response: { 201: DocumentSchema, ...errors },
        },
      },
      async (request, reply) => {
        const part = await filePart(request);
        return reply.status(201).send(await consumed(part, uploadVersion(services, contextOf(request), request.params.id, part.file)));
      },
    );

    app.get(
      "/clients/:id/documents",
      {
        schema: {
          tags,
          summary: "A client's documents, newest first (titles masked above the caller's reach)",
          params: DocumentParams,
          querystring: z.strictObject({ matterId: z.uuid().optional() }),
          response: { 200: z.object({ items: z.array(DocumentSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listDocuments(services, contextOf(request), request.params.id, { matterId: request.query.matterId }) }),
    );

    app.get(
      "/documents/:id",
      {
        schema: {
          tags,
          summary: "One document: metadata, versions and where its findings are",
          params: DocumentParams,
          response: { 200: DocumentDetailSchema, ...errors },
        },
      },
      async (request) => readDocument(services, contextOf(request), request.params.id),
    );

    app.get(
      "/documents/:id/preview",
      {
        schema: {
          tags,
          summary: "Preview a version as text per page (reading in the console; no copy is made)",
          params: DocumentParams,
          querystring: VersionQuery,
          response: { 200: PreviewSchema, ...errors },
        },
      },
      async (request, reply) => {
        reply.header("cache-control", "no-store");
        return previewDocument(services, contextOf(request), request.params.id, request.query.version);
      },
    );

    app.get(
      "/documents/:id/content",
      {
        schema: {
          tags,
          summary: "Download a version: a registered copy (L3+ needs a copy_document approval); PDFs watermarked, PDF and DOCX fingerprinted",
          params: DocumentParams,
          querystring: VersionQuery,
        },
        // No response schema: the answer is the file itself (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const file = await downloadDocument(services, contextOf(request), request.params.id, request.query.version);
        reply
          .header("content-type", file.mediaType)
          .header("content-disposition", contentDisposition(`document-${request.params.id.slice(0, 8)}`, file.filename))
          .header("x-copy-id", file.copyId)
          .header("cache-control", "no-store")
          .header("content-length", String(file.sizeBytes));
        return reply.send(file.bytes ?? file.stream);
      },
    );

    for (const [path, change] of [
      ["/documents/:id/check-out", "check_out"],
      ["/documents/:id/check-in", "check_in"],
    ] as const) {
      app.post(
        path,
        {
          schema: {
            tags,
            summary:
              change === "check_out"
                ? "Check a document out: only you may add versions until you check it in"
                : "Check a document in (its holder, or a partner)",
            params: DocumentParams,
            response: { 200: DocumentSchema, ...errors },
          },
        },
        async (request) => changeDocumentLock(services, contextOf(request), request.params.id, change),
      );
    }

    app.post(
      "/documents/:id/redacted-copy",
      {
        schema: {
          tags,
          summary: "Make a redacted copy: detected identifiers (and marked strings) removed from the content, not covered; a new document",
          description:
            "Plain text and DOCX keep their layout with the values replaced; XLSX cells are rewritten; PDFs are regenerated from their text layer (nothing of the original's objects survives); images get boxes burned in over OCR'd words.",
          params: DocumentParams,
          body: z.strictObject({ marked: z.array(z.string()).max(50).optional().describe("Strings to remove besides what the detector finds; never stored") }),
          response: { 201: DocumentSchema, ...errors, 422: ErrorSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await makeRedactedCopy(services, contextOf(request), request.params.id, request.body)),
    );

    app.post(
      "/documents/trace",
      {
        schema: {
          tags,
          summary: "Trace a leaked file (compliance): the downloads or shares it came from, with their audit events",
          description: "multipart/form-data with the leaked file in a part named `file` (at most 256 MiB).",
          consumes: ["multipart/form-data"],
          response: { 200: TraceSchema, ...errors },
        },
      },
      async (request) => {
        const part = await filePart(request);
        const file = await part.toBuffer().catch(() => {
          throw new AppError(413, "payload_too_large", "The file is too large to trace.");
        });
        if (part.file.truncated || file.length > TRACE_MAX_BYTES) throw new AppError(413, "payload_too_large", "The file is too large to trace.");
        return traceLeak(services, contextOf(request), file);
      },
    );
  };
