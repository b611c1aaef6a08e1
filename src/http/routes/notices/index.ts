import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { localeFrom } from "../../../platform/i18n/messages.js";
import { draftNotice, publishNotice, updateDraft } from "../../../rights/notices/notice-commands.js";
import { currentNotice, listNotices } from "../../../rights/notices/notice-queries.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import { CurrentNoticeQuery, CurrentNoticeSchema, NoticeDraftSchema, NoticePatchSchema, NoticeSchema, NoticeVersionParams } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
// Two full notice texts in Chinese can exceed the API's 64 KiB default.
const NOTICE_BODY_LIMIT = 1024 * 1024;

/** The one public route: the notice in force, for the portal and anyone else. */
export const publicNoticeRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/notices/current",
      {
        schema: {
          tags: ["notices"],
          summary: "The privacy notice in force (public)",
          security: [],
          querystring: CurrentNoticeQuery,
          response: { 200: CurrentNoticeSchema, 400: ErrorSchema, 404: ErrorSchema },
        },
      },
      async (request) => currentNotice(services, request.query.lang ?? localeFrom(request.headers["accept-language"])),
    );
  };

export const noticeRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/notices",
      {
        schema: {
          tags: ["notices"],
          summary: "Every notice version, drafts included, newest first",
          response: { 200: z.object({ items: z.array(NoticeSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listNotices(services, contextOf(request)) }),
    );

    app.post(
      "/notices",
      {
        bodyLimit: NOTICE_BODY_LIMIT,
        schema: { tags: ["notices"], summary: "Draft a new notice version", body: NoticeDraftSchema, response: { 201: NoticeSchema, ...errors } },
      },
      async (request, reply) => {
        const body = request.body;
        return reply.status(201).send(await draftNotice(services, contextOf(request), { ...body, effectiveFrom: new Date(body.effectiveFrom).toISOString() }));
      },
    );

    app.patch(
      "/notices/:version",
      {
        bodyLimit: NOTICE_BODY_LIMIT,
        schema: {
          tags: ["notices"],
          summary: "Change a draft (a published version is immutable: 409)",
          params: NoticeVersionParams,
          body: NoticePatchSchema,
          response: { 200: NoticeSchema, ...errors },
        },
      },
      async (request) => {
        const { effectiveFrom, ...rest } = request.body;
        const changes = { ...rest, ...(effectiveFrom !== undefined ? { effectiveFrom: new Date(effectiveFrom).toISOString() } : {}) };
        return updateDraft(services, contextOf(request), request.params.version, changes);
      },
    );

    app.post(
      "/notices/:version/publish",
      {
        schema: {
          tags: ["notices"],
          summary: "Publish a draft; stores the SHA-256 of its content",
          params: NoticeVersionParams,
          response: { 200: NoticeSchema, ...errors },
        },
      },
      async (request) => publishNotice(services, contextOf(request), request.params.version),
    );
  };
