import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { MATTER_NUMBER, MATTER_NUMBER_MAX, MATTER_ROLES, MATTER_TEAM_MAX, MATTER_TITLE_MAX, PRACTICE_AREAS } from "../../../records/matters/matter.js";
import { PageQuery } from "../clients/schema.js";

export const MatterIdParams = z.strictObject({ id: z.uuid() });
export const MatterMemberParams = z.strictObject({ id: z.uuid(), userId: z.string().min(1).max(64) });

export const MatterMemberSchema = z.strictObject({
  userId: z.string().min(1).max(64),
  role: z.enum(MATTER_ROLES).describe("lead | member | observer"),
});
export type MatterMemberRequest = z.infer<typeof MatterMemberSchema>;

export const MatterCreateSchema = z.strictObject({
  clientId: z.uuid(),
  number: z.string().max(MATTER_NUMBER_MAX).regex(MATTER_NUMBER).describe("Unique, year-category-serial, e.g. 2026-民-0001"),
  title: humanText().min(1).max(MATTER_TITLE_MAX).describe("Stored encrypted with the client's data key"),
  practiceArea: z.enum(PRACTICE_AREAS),
  responsiblePartnerId: z.string().min(1).max(64).describe("User id of a partner"),
  team: z.array(MatterMemberSchema).max(MATTER_TEAM_MAX).optional().describe("The creator joins as lead unless listed"),
});
export type MatterCreateRequest = z.infer<typeof MatterCreateSchema>;

export const MatterSchema = z.object({
  id: z.uuid(),
  clientId: z.uuid(),
  number: z.string(),
  title: z.string().nullable(),
  practiceArea: z.enum(PRACTICE_AREAS),
  status: z.enum(["open", "closed"]),
  responsiblePartnerId: z.string(),
  team: z.array(z.object({ userId: z.string(), role: z.enum(MATTER_ROLES), addedAt: z.string() })),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
});

/** The caller's abilities on one matter (src/access/policy/abilities.ts): the console offers only these actions. */
export const MatterAbilitiesSchema = z
  .object({
    read: z.boolean(),
    manageTeam: z.boolean().describe("Add members or change their matter role (open matters only)"),
    close: z.boolean().describe("POST /matters/{id}/close (open matters only)"),
    raiseWall: z.boolean().describe("POST /walls naming this matter"),
  })
  .describe("What the caller may do with this matter now, as the policy decides it; the API still decides every request");

/** GET /matters/{id}: the matter with the caller's abilities on it. */
export const MatterRecordSchema = MatterSchema.extend({ abilities: MatterAbilitiesSchema });

export const MatterListQuery = PageQuery.extend({ status: z.enum(["open", "closed"]).optional() });

export const MatterListItemSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  title: z.string().nullable().describe("Null once the client was erased"),
  practiceArea: z.enum(PRACTICE_AREAS),
  status: z.enum(["open", "closed"]),
  clientId: z.uuid(),
  responsiblePartnerId: z.string(),
  myRole: z.enum(MATTER_ROLES).nullable().describe("The caller's role on the team; null when not on it"),
  createdAt: z.string(),
});
export const MatterPageSchema = z.object({ items: z.array(MatterListItemSchema), nextCursor: z.string().nullable() });
