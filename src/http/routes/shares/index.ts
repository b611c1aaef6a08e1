import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../../platform/services.js";
import { confirmShare, createShare, revokeShare } from "../../../records/documents/document-sharer.js";
import { listDocumentShares, listShareRegister } from "../../../records/documents/share-register.js";
import { downloadShared, openSharedLink, requestShareCode } from "../../../records/documents/shared-download.js";
import { contextOf } from "../../authenticate.js";
import { contentDisposition } from "../../content-disposition.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  CreatedShareSchema,
  DocumentParams,
  LinkParams,
  RegisterQuery,
  ShareCreateSchema,
  SharedDownloadSchema,
  SharedLinkSchema,
  ShareParams,
  ShareSchema,
} from "./schema.js";

const tags = ["shares"];
const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema };
const publicErrors = { 400: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema, 410: ErrorSchema, 423: ErrorSchema, 429: ErrorSchema };

/** Staff side of external shares (issue #11): share under a forward_document grant, confirm at L4, revoke, the register. */
export const shareRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/documents/:id/shares",
      {
        schema: {
          tags,
          summary: "Share a document's current version with someone outside the firm (needs a forward_document approval; at L4 a second person confirms)",
          params: DocumentParams,
          body: ShareCreateSchema,
          response: { 201: CreatedShareSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createShare(services, contextOf(request), request.params.id, request.body)),
    );

    app.get(
      "/documents/:id/shares",
      {
        schema: {
          tags,
          summary: "A document's shares, newest first",
          params: DocumentParams,
          response: { 200: z.object({ items: z.array(ShareSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listDocumentShares(services, contextOf(request), request.params.id) }),
    );

    app.get(
      "/shares",
      {
        schema: {
          tags,
          summary: "The recipient register: who outside holds which document (compliance and partners)",
          querystring: RegisterQuery,
          response: { 200: z.object({ items: z.array(ShareSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listShareRegister(services, contextOf(request), request.query) }),
    );

    app.post(
      "/shares/:id/confirm",
      {
        schema: {
          tags,
          summary:
            "Confirm an L4 share as its second person (compliance or a partner, not the sharer nor the grant's approver): the link opens and the code is sent",
          params: ShareParams,
          response: { 200: ShareSchema, ...errors },
        },
      },
      async (request) => confirmShare(services, contextOf(request), request.params.id),
    );

    app.post(
      "/shares/:id/revoke",
      { schema: { tags, summary: "Revoke a share: its link stops working at once", params: ShareParams, response: { 200: ShareSchema, ...errors } } },
      async (request) => revokeShare(services, contextOf(request), request.params.id),
    );
  };

/** The recipient's side: no staff sign-in; the link and the one-time code sent to the recipient. */
export const publicShareRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/shared/:token",
      {
        schema: {
          tags,
          summary: "What a share link shows before its code: the firm, its state, expiry and downloads left (public)",
          security: [],
          params: LinkParams,
          response: { 200: SharedLinkSchema, ...publicErrors },
        },
      },
      async (request) => openSharedLink(services, { requestId: request.id, address: request.ip }, request.params.token),
    );

    app.post(
      "/shared/:token/code",
      {
        schema: {
          tags,
          summary: "Send the recipient a new one-time code (each code is good for one download; at most one a minute)",
          security: [],
          params: LinkParams,
          response: { 202: z.object({ codeExpiresAt: z.string() }), ...publicErrors },
        },
      },
      async (request, reply) => reply.status(202).send(await requestShareCode(services, { requestId: request.id, address: request.ip }, request.params.token)),
    );

    app.post(
      "/shared/:token/download",
      {
        schema: {
          tags,
          summary: "Download the shared file with the one-time code: a copy watermarked for the recipient; five wrong codes lock the link",
          security: [],
          params: LinkParams,
          body: SharedDownloadSchema,
        },
        // No response schema: the answer is the file itself (errors are the usual JSON error bodies).
      },
      async (request, reply) => {
        const file = await downloadShared(services, { requestId: request.id, address: request.ip }, request.params.token, request.body.code);
        reply
          .header("content-type", file.mediaType)
          .header("content-disposition", contentDisposition("shared-document", file.filename))
          .header("cache-control", "no-store")
          .header("content-length", String(file.sizeBytes));
        return reply.send(file.bytes ?? file.stream);
      },
    );
  };
