import { z } from "zod";
import { PRIVACY_ROLE_CODES, PrivacyRoleInput, PrivacyRoleUpdateInput } from "../../../governance/privacy-team/privacy-team.js";

export const PrivacyRoleCreateSchema = PrivacyRoleInput;
export type PrivacyRoleCreateRequest = z.infer<typeof PrivacyRoleCreateSchema>;
export const PrivacyRoleUpdateSchema = PrivacyRoleUpdateInput;
export type PrivacyRoleUpdateRequest = z.infer<typeof PrivacyRoleUpdateSchema>;
export const PrivacyRoleIdParams = z.strictObject({ id: z.uuid() });

export const PrivacyRoleSchema = z.object({
  id: z.string(),
  code: z.enum(PRIVACY_ROLE_CODES),
  holderId: z.string(),
  deputyIds: z.array(z.string()),
  dutiesZh: z.string(),
  dutiesEn: z.string(),
  contactEmail: z.string().nullable(),
  contactPhone: z.string().nullable(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export const PrivacyTeamSchema = z.object({ items: z.array(PrivacyRoleSchema) });
export const PrivacyContactSchema = z.object({
  published: z.boolean().describe("False: no contact entered yet; show the firm's general channels instead"),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});
