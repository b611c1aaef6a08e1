import { z } from "zod";
import { BREAK_GLASS_JUSTIFICATIONS, BREAK_GLASS_REFERENCE, REVIEW_OUTCOMES } from "../../../access/break-glass/break-glass.js";

export const BreakGlassIdParams = z.strictObject({ id: z.uuid() });
export const BreakGlassOpenSchema = z.strictObject({
  justification: z.enum(BREAK_GLASS_JUSTIFICATIONS).describe("Why (a code: no free text)"),
  reference: z.string().regex(BREAK_GLASS_REFERENCE).describe("Mandatory ticket or incident number"),
});
export const BreakGlassReviewSchema = z.strictObject({ outcome: z.enum(REVIEW_OUTCOMES) });
export const BreakGlassSchema = z.object({
  id: z.uuid(),
  userId: z.string(),
  clientId: z.string(),
  justification: z.enum(BREAK_GLASS_JUSTIFICATIONS),
  reference: z.string(),
  openedAt: z.string(),
  expiresAt: z.string(),
  review: z.object({ status: z.enum(["pending", "accepted", "rejected"]), reviewerId: z.string().nullable(), reviewedAt: z.string().nullable() }),
});
export const BreakGlassOpenedSchema = BreakGlassSchema.extend({
  notified: z.number().int().describe("How many subscribers (compliance by default) were notified, besides the alert in compliance's queue"),
});
