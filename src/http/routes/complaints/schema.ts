import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { COMPLAINT_CATEGORIES, COMPLAINT_STATUSES } from "../../../rights/complaints/complaints.js";
import { PageQuery } from "../clients/schema.js";

export const ComplaintIdParams = z.strictObject({ id: z.uuid() });

const complaint = {
  category: z.enum(COMPLAINT_CATEGORIES),
  description: humanText({ multiline: true }).min(1).max(4000),
  email: z.email().max(200).optional().describe("Where to send the answer (sealed at rest)"),
  phone: humanText().min(5).max(30).optional().describe("Sealed at rest"),
  language: z.enum(["zh-CN", "en"]).default("zh-CN"),
};
export const PortalComplaintSchema = z.strictObject({ ...complaint, proof: z.strictObject({ challenge: z.string().max(200), nonce: z.string().max(16) }) });
export type PortalComplaintRequest = z.infer<typeof PortalComplaintSchema>;
export const StaffComplaintSchema = z.strictObject(complaint);
export type StaffComplaintRequest = z.infer<typeof StaffComplaintSchema>;
export const PortalComplaintReceiptSchema = z.object({ complaintId: z.string(), slaDueAt: z.string(), message: z.string() });
export const ComplaintUpdateSchema = z.strictObject({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  note: humanText({ multiline: true }).min(1).max(4000).optional(),
  incidentId: z.uuid().optional(),
});
export type ComplaintUpdateRequest = z.infer<typeof ComplaintUpdateSchema>;
export const ComplaintResponseSchema = z.strictObject({ text: humanText({ multiline: true }).min(1).max(8000) });
export type ComplaintResponseRequest = z.infer<typeof ComplaintResponseSchema>;

export const ComplaintSchema = z.object({
  id: z.string(),
  channel: z.string(),
  category: z.string(),
  language: z.string(),
  status: z.string(),
  slaDueAt: z.string(),
  overdue: z.boolean(),
  incidentId: z.string().nullable(),
  filedBy: z.string().nullable(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  description: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  response: z.object({ text: z.string(), at: z.string(), by: z.string(), emailed: z.boolean() }).nullable(),
  notes: z.array(z.object({ authorId: z.string(), at: z.string(), text: z.string() })),
});

export const ComplaintListQuery = PageQuery.extend({ status: z.enum(COMPLAINT_STATUSES).optional() });
export const ComplaintListItemSchema = ComplaintSchema.pick({
  id: true,
  channel: true,
  category: true,
  language: true,
  status: true,
  slaDueAt: true,
  overdue: true,
  incidentId: true,
  filedBy: true,
  createdAt: true,
  closedAt: true,
}).extend({ hasEmail: z.boolean(), hasPhone: z.boolean(), respondedAt: z.string().nullable() });
export const ComplaintPageSchema = z.object({ items: z.array(ComplaintListItemSchema), nextCursor: z.string().nullable() });
