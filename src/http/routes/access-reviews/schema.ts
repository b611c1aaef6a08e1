import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { CLOSE_REASONS, DECISION_REASONS, DECISIONS, ITEM_KINDS } from "../../../access/reviews/access-review.js";

export const AccessReviewIdParams = z.strictObject({ id: z.uuid() });
export const ReviewItemIdParams = z.strictObject({ itemId: z.uuid() });

export const AccessReviewStartSchema = z.strictObject({
  name: humanText().min(1).max(80).describe("Campaign name, e.g. 2026 Q2 recertification (sealed at rest)"),
  dueOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe("Due day, YYYY-MM-DD; overdue once it has ended (UTC)"),
});
export type AccessReviewStartRequest = z.infer<typeof AccessReviewStartSchema>;

export const AccessReviewCloseSchema = z.strictObject({
  reason: z.enum(CLOSE_REASONS).optional().describe("Required while items are undecided: they are recorded as not_reviewed with it"),
});
export type AccessReviewCloseRequest = z.infer<typeof AccessReviewCloseSchema>;

export const ReviewDecisionSchema = z.strictObject({
  decision: z.enum(DECISIONS).describe("keep, or revoke: the access ends at once"),
  reasonCode: z.enum(DECISION_REASONS).optional(),
});
export type ReviewDecisionRequest = z.infer<typeof ReviewDecisionSchema>;

export const ProgressSchema = z.object({
  total: z.number().int(),
  decided: z.number().int(),
  kept: z.number().int(),
  revoked: z.number().int(),
  notReviewed: z.number().int(),
  pending: z.number().int(),
  overdue: z.boolean(),
});

export const CampaignSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  dueOn: z.string(),
  status: z.enum(["open", "closed"]),
  startedBy: z.string(),
  startedAt: z.string(),
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.enum(CLOSE_REASONS).nullable(),
  progress: ProgressSchema,
});

export const ReviewItemSchema = z.object({
  id: z.uuid(),
  campaignId: z.uuid(),
  kind: z.enum(ITEM_KINDS),
  subjectUserId: z.string(),
  reviewerId: z.string().nullable().describe("null: compliance reviews it (no other reviewer, or the reviewer is the subject)"),
  reviewerPool: z.enum(["user", "compliance"]),
  matterId: z.string().nullable(),
  matterNumber: z.string().nullable(),
  grantId: z.string().nullable(),
  clientId: z.string().nullable(),
  access: z.string().describe("The matter role, grant kind or staff role when the campaign started"),
  decision: z.enum(["keep", "revoke", "not_reviewed"]).nullable(),
  reasonCode: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  effect: z.enum(["member_removed", "grant_revoked", "user_disabled", "already_ended"]).nullable(),
});

export const CampaignDetailSchema = CampaignSchema.extend({ items: z.array(ReviewItemSchema), truncated: z.boolean() });
