import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  createWebhook,
  listDeliveries,
  listMyNotifications,
  markNotificationRead,
  subscribeUser,
} from "../../../response/notifications/notification-commands.js";
import { listSubscriptions, listWebhooks } from "../../../response/notifications/channel-queries.js";
import { listOwnSubscriptions, setOwnSubscription } from "../../../response/notifications/own-subscriptions.js";
import type { Services } from "../../../platform/services.js";
import { contextOf } from "../../authenticate.js";
import { ErrorSchema } from "../clients/schema.js";
import {
  DeliverySchema,
  NotificationIdParams,
  NotificationListQuery,
  NotificationSchema,
  SubscriptionCreateSchema,
  SubscriptionSchema,
  WebhookCreateSchema,
  WebhookIdParams,
  WebhookSchema,
} from "./schema.js";
import { OwnSubscriptionSchema, OwnSubscriptionSetSchema, SubscriptionListItemSchema, WebhookListItemSchema } from "./schema.js";

const errors = { 400: ErrorSchema, 401: ErrorSchema, 403: ErrorSchema, 404: ErrorSchema };
const tags = ["notifications"];

/** Notification channels: in-app inbox, subscriptions, signed webhooks and their delivery log. */
export const notificationRoutes =
  (services: Services): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      "/notifications",
      {
        schema: {
          tags,
          summary: "The caller's in-app notifications, newest first",
          querystring: NotificationListQuery,
          response: { 200: z.object({ items: z.array(NotificationSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listMyNotifications(services, contextOf(request), request.query.unread === "true") }),
    );

    app.post(
      "/notifications/:id/read",
      {
        schema: { tags, summary: "Mark one of the caller's notifications read", params: NotificationIdParams, response: { 204: z.null(), ...errors } },
      },
      async (request, reply) => {
        await markNotificationRead(services, contextOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      "/notification-subscriptions/mine",
      {
        schema: {
          tags,
          summary: "Your own subscriptions, and the defaults of your role you may turn back on",
          response: { 200: z.object({ items: z.array(OwnSubscriptionSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listOwnSubscriptions(services, contextOf(request)) }),
    );

    app.put(
      "/notification-subscriptions/mine",
      {
        schema: {
          tags,
          summary: "Turn one of your subscriptions off or on (on: your role's defaults only), with or without email",
          body: OwnSubscriptionSetSchema,
          response: { 200: OwnSubscriptionSchema, ...errors },
        },
      },
      async (request) => setOwnSubscription(services, contextOf(request), request.body),
    );

    app.post(
      "/notification-subscriptions",
      {
        schema: {
          tags,
          summary: "Subscribe a staff user to an event kind, in-app and optionally by email (compliance)",
          body: SubscriptionCreateSchema,
          response: { 201: SubscriptionSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await subscribeUser(services, contextOf(request), request.body)),
    );

    app.post(
      "/webhooks",
      {
        schema: {
          tags,
          summary: "Register a signed webhook for event kinds; the secret is returned once (compliance)",
          body: WebhookCreateSchema,
          response: { 201: WebhookSchema, ...errors },
        },
      },
      async (request, reply) => reply.status(201).send(await createWebhook(services, contextOf(request), request.body)),
    );

    app.get(
      "/webhooks",
      {
        schema: {
          tags,
          summary: "Registered webhooks with their event kinds; secrets are never shown again (compliance)",
          response: { 200: z.object({ items: z.array(WebhookListItemSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listWebhooks(services, contextOf(request)) }),
    );

    app.get(
      "/notification-subscriptions",
      {
        schema: {
          tags,
          summary: "Staff subscriptions to event kinds (compliance)",
          response: { 200: z.object({ items: z.array(SubscriptionListItemSchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listSubscriptions(services, contextOf(request)) }),
    );

    app.get(
      "/webhooks/:id/deliveries",
      {
        schema: {
          tags,
          summary: "Delivery log: every queued message with its attempts (compliance)",
          params: WebhookIdParams,
          response: { 200: z.object({ items: z.array(DeliverySchema) }), ...errors },
        },
      },
      async (request) => ({ items: await listDeliveries(services, contextOf(request), request.params.id) }),
    );
  };
