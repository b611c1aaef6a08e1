import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { closeAccessReview, decideAccessReviewItem, startAccessReview } from "../../../access/reviews/access-review-commands.js";
import { accessReviewStatus, listAccessReviews, myReviewItems } from "../../../access/reviews/access-review-queries.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  AccessReviewCloseSchema,
  AccessReviewIdParams,
  AccessReviewStartSchema,
  CampaignDetailSchema,
  CampaignSchema,
  ReviewDecisionSchema,
  ReviewItemIdParams,
  ReviewItemSchema,
} from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema };
const tags = ["access-reviews"];

/** Access reviews (IAM-4): compliance runs campaigns; every user decides the items assigned to them. */
export const accessReviewRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      "/access-reviews",
      {
        schema: {
          tags,
          summary: "Start an access review campaign: snapshots team memberships, current grants and staff roles, each with its reviewer (compliance)",
          body: AccessReviewStartSchema,
          response: { 201: CampaignSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await startAccessReview(services, contextOf(request), request.body)),
    );

    app.get(
      "/access-reviews",
      {
        schema: {
          tags,
          summary: "Access review campaigns with progress and the overdue flag (compliance)",
          response: { 200: z.object({ items: z.array(CampaignSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listAccessReviews(services, contextOf(request)) }),
    );

    app.get(
      "/access-reviews/my-items",
      {
        schema: {
          tags,
          summary: "Your pending review items (never about your own access)",
          response: { 200: z.object({ items: z.array(ReviewItemSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await myReviewItems(services, contextOf(request)) }),
    );

    app.get(
      "/access-reviews/:id",
      {
        schema: {
          tags,
          summary: "One campaign: progress and items (compliance)",
          params: AccessReviewIdParams,
          response: { 200: CampaignDetailSchema, ...errors },
        },
      },
      async (request) => accessReviewStatus(services, contextOf(request), request.params.id),
    );

    app.post(
      "/access-reviews/:id/close",
      {
        schema: {
          tags,
          summary: "Close a campaign; with undecided items only with a reason, recording them as not reviewed (compliance)",
          params: AccessReviewIdParams,
          body: AccessReviewCloseSchema,
          response: { 200: CampaignSchema, ...errors },
        },
      },
      async (request) => closeAccessReview(services, contextOf(request), request.params.id, request.body),
    );

    app.post(
      "/access-reviews/items/:itemId/decision",
      {
        schema: {
          tags,
          summary: "Keep or revoke one item (its reviewer only; a revoke ends the access at once)",
          params: ReviewItemIdParams,
          body: ReviewDecisionSchema,
          response: { 200: ReviewItemSchema, ...errors },
        },
      },
      async (request) => decideAccessReviewItem(services, contextOf(request), request.params.itemId, request.body),
    );
  };
