import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { EVENT_KINDS } from "../../../response/notifications/notifier.js";

export const WebhookIdParams = z.strictObject({ id: z.uuid() });
export const NotificationIdParams = z.strictObject({ id: z.uuid() });

export const WebhookCreateSchema = z.strictObject({
  url: humanText().min(8).max(500).describe("https (plain http only to a loopback address)"),
  events: z.array(z.enum(EVENT_KINDS)).min(1).max(EVENT_KINDS.length),
});
export type WebhookCreateRequest = z.infer<typeof WebhookCreateSchema>;
export const WebhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  secret: z.string().describe("Shown once: the HMAC key for X-Custodia-Signature"),
  createdAt: z.string(),
});

export const SubscriptionCreateSchema = z.strictObject({ userId: z.string().min(1).max(64), event: z.enum(EVENT_KINDS), email: z.boolean().default(false) });
export type SubscriptionCreateRequest = z.infer<typeof SubscriptionCreateSchema>;
export const SubscriptionSchema = z.object({ id: z.string(), userId: z.string(), event: z.string(), email: z.boolean() });

const Payload = z.object({ id: z.string(), kind: z.string(), occurredAt: z.string(), data: z.record(z.string(), z.string().nullable()), link: z.string() });
export const NotificationListQuery = z.strictObject({ unread: z.enum(["true", "false"]).optional() });
export const NotificationSchema = z.object({ id: z.string(), kind: z.string(), createdAt: z.string(), readAt: z.string().nullable(), payload: Payload });

export const DeliverySchema = z.object({
  id: z.string(),
  kind: z.string(),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  failedAt: z.string().nullable(),
  createdAt: z.string(),
  log: z.array(z.object({ attempt: z.number(), at: z.string(), status: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() })),
});

export const WebhookListItemSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const SubscriptionListItemSchema = SubscriptionSchema.extend({ createdAt: z.string() });

export const OwnSubscriptionSchema = z.object({
  event: z.enum(EVENT_KINDS),
  subscribed: z.boolean(),
  email: z.boolean(),
  offered: z.boolean().describe("The role gets this by default, so it may be turned back on"),
});
export const OwnSubscriptionSetSchema = z.strictObject({
  event: z.enum(EVENT_KINDS),
  subscribed: z.boolean(),
  email: z.boolean().default(false),
});
