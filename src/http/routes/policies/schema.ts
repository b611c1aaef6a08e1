import { z } from "zod";
import {
  AttestInput,
  LawChangeInput,
  PolicyCreateInput,
  PolicyPublishInput,
  PolicyReviewInput,
  PolicyUpdateInput,
  PolicyVersionInput,
} from "../../../governance/policies/policy-inputs.js";

export const PolicyCreateSchema = PolicyCreateInput;
export type PolicyCreateRequest = z.infer<typeof PolicyCreateSchema>;
export const PolicyUpdateSchema = PolicyUpdateInput;
export const PolicyVersionSchema = PolicyVersionInput;
export type PolicyVersionRequest = z.infer<typeof PolicyVersionSchema>;
export const PolicyPublishSchema = PolicyPublishInput;
export const PolicyReviewSchema = PolicyReviewInput;
export const AttestSchema = AttestInput;
export const LawChangeSchema = LawChangeInput;
export type LawChangeRequest = z.infer<typeof LawChangeSchema>;
export const PolicyIdParams = z.strictObject({ id: z.uuid() });

const summary = {
  id: z.string(),
  code: z.string(),
  titleZh: z.string(),
  titleEn: z.string(),
  ownerId: z.string(),
  reviewMonths: z.number(),
  nextReviewOn: z.string().nullable(),
  reviewDue: z.boolean(),
  currentVersion: z.number().nullable(),
  status: z.string(),
  attested: z.boolean().describe("Whether the caller has attested the current version"),
  updatedAt: z.string(),
};
export const PolicyListSchema = z.object({ items: z.array(z.object(summary)) });
export const PolicyDetailSchema = z.object({
  ...summary,
  myAttestation: z.object({ version: z.number(), attestedAt: z.string() }).nullable(),
  versions: z.array(
    z.object({
      version: z.number(),
      textZh: z.string(),
      textEn: z.string(),
      changeNote: z.string(),
      publishedOn: z.string().nullable(),
      publishedBy: z.string().nullable(),
      createdBy: z.string(),
      createdAt: z.string(),
    }),
  ),
});
export const PolicyRefSchema = z.object({ id: z.string(), version: z.number().optional(), nextReviewOn: z.string().optional() });
export const AttestationSchema = z.object({ policyId: z.string(), version: z.number(), userId: z.string(), attestedAt: z.string() });
export const AttestationRegisterSchema = z.object({
  policyId: z.string(),
  currentVersion: z.number().nullable(),
  attested: z.array(z.object({ userId: z.string(), role: z.string(), attestedAt: z.string() })),
  notAttested: z.array(z.object({ userId: z.string(), role: z.string(), lastAttestedVersion: z.number().nullable() })),
});
export const LawChangeEntrySchema = z.object({
  id: z.string(),
  reviewedOn: z.string(),
  law: z.string(),
  summary: z.string(),
  affectedPolicyIds: z.array(z.string()),
  decision: z.string(),
  reviewerId: z.string(),
  createdAt: z.string(),
});
export const LawChangeListSchema = z.object({ items: z.array(LawChangeEntrySchema) });
