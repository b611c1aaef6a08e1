/** What staff send about internal policies and the law-change log, for the API and the CLI alike. */
import { z } from "zod";
import { humanText } from "../../http/schema-text.js";

export const POLICY_STATUSES = ["draft", "published", "retired"] as const;
export const LAW_CHANGE_DECISIONS = ["no_change", "amend", "new_policy", "retire"] as const;

const day = z.iso.date().describe("YYYY-MM-DD");
const policyText = humanText({ multiline: true }).min(1).max(200_000);

export const PolicyCreateInput = z.strictObject({
  code: z
    .string()
    .regex(/^[a-z0-9_]{2,64}$/)
    .describe("A short stable code, e.g. privacy_policy"),
  titleZh: humanText().min(1).max(200),
  titleEn: humanText().min(1).max(200),
  ownerId: z.string().min(1).max(64).describe("The staff member answerable for it"),
  reviewMonths: z.number().int().min(1).max(60).default(12),
  textZh: policyText,
  textEn: policyText,
});
export type PolicyCreateInput = z.infer<typeof PolicyCreateInput>;

export const PolicyUpdateInput = z.strictObject({
  titleZh: humanText().min(1).max(200).optional(),
  titleEn: humanText().min(1).max(200).optional(),
  ownerId: z.string().min(1).max(64).optional(),
  reviewMonths: z.number().int().min(1).max(60).optional(),
  status: z.literal("retired").optional(),
});
export type PolicyUpdateInput = z.infer<typeof PolicyUpdateInput>;

export const PolicyVersionInput = z.strictObject({
  textZh: policyText,
  textEn: policyText,
  changeNote: humanText({ multiline: true }).max(2000).default("").describe("What changed and why; do not name clients"),
});
export type PolicyVersionInput = z.infer<typeof PolicyVersionInput>;

export const PolicyPublishInput = z.strictObject({ version: z.number().int().min(1), on: day.optional().describe("Defaults to today") });
export const PolicyReviewInput = z.strictObject({ on: day.optional().describe("Reviewed without change on; defaults to today") });
export const AttestInput = z.strictObject({ version: z.number().int().min(1).describe("The version read: it must be the current one") });

export const LawChangeInput = z.strictObject({
  reviewedOn: day,
  law: humanText().min(1).max(300).describe("The law or regulation, e.g. 个人信息保护法 or GB/T 35273-2020"),
  summary: humanText({ multiline: true }).min(1).max(8000).describe("What changed; about the law, not about people"),
  affectedPolicyIds: z.array(z.uuid()).max(50).default([]),
  decision: z.enum(LAW_CHANGE_DECISIONS),
});
export type LawChangeInput = z.infer<typeof LawChangeInput>;
