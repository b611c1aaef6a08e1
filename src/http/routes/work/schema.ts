import { z } from "zod";
import { WORK_QUEUES } from "../../../access/policy/work-queues.js";

export const WorkItemSchema = z.object({
  id: z.string(),
  target: z.string().describe("The record the console opens: the incident of a duty, otherwise the item itself"),
  reference: z.string().nullable().describe("A non-personal reference: a matter number, REQ-…, INC-…"),
  kind: z.string().nullable().describe("A code: practice area, approval kind, review item kind, request type, rule, justification, regime"),
  severity: z.string().nullable(),
  title: z.object({ zh: z.string(), en: z.string() }).nullable().describe("A course's or agreement's title"),
  staffId: z.string().nullable().describe("The staff member concerned: requester, reviewed person, who broke the glass"),
  at: z.string().nullable().describe("Due date or instant, or when it happened"),
  overdue: z.boolean(),
});

export const WorkQueuesSchema = z.object({
  queues: z.array(
    z.object({
      queue: z.enum(WORK_QUEUES),
      count: z.number().int(),
      overdue: z.number().int(),
      items: z.array(WorkItemSchema).describe("The first few items (up to 5)"),
    }),
  ),
  generatedAt: z.string(),
});
export type WorkQueuesResponse = z.infer<typeof WorkQueuesSchema>;
