import { z } from "zod";
import { WALL_LIFT_REASONS, WALL_REASONS, WALL_REFERENCE } from "../../../access/walls/wall.js";

export const WallIdParams = z.strictObject({ id: z.uuid() });

export const WallCreateSchema = z.strictObject({
  reason: z.enum(WALL_REASONS).describe("Why the wall stands (a code: no free text, so no party names in clear)"),
  reference: z.string().regex(WALL_REFERENCE).optional().describe("Ticket or file number"),
  ownerId: z.string().min(1).max(64).optional().describe("A partner or compliance officer; defaults to the creator"),
  clientIds: z.array(z.uuid()).max(100).optional().describe("Clients on the protected side"),
  matterIds: z.array(z.uuid()).max(100).optional().describe("Matters on the protected side (their clients are screened too)"),
  screenedUserIds: z.array(z.string().min(1).max(64)).min(1).max(200),
});
export type WallCreateRequest = z.infer<typeof WallCreateSchema>;

export const WallSchema = z.object({
  id: z.uuid(),
  reason: z.enum(WALL_REASONS),
  reference: z.string().nullable(),
  ownerId: z.string(),
  clientIds: z.array(z.string()),
  matterIds: z.array(z.string()),
  screenedUserIds: z.array(z.string()),
  createdAt: z.string(),
  liftedAt: z.string().nullable().optional().describe("When the wall was lifted; absent or null while it stands"),
});

/** The caller's abilities on one wall (src/access/policy/abilities.ts): the console offers only these actions. */
export const WallAbilitiesSchema = z
  .object({ lift: z.boolean().describe("POST /walls/{id}/lift: compliance or the wall's owner, while it stands") })
  .describe("What the caller may do with this wall now, as the policy decides it; the API still decides every request");

/** GET /walls/{id}: the wall with the caller's abilities on it. */
export const WallRecordSchema = WallSchema.extend({ abilities: WallAbilitiesSchema });
export const WallListItemSchema = WallSchema.extend({ liftedAt: z.string().nullable(), abilities: WallAbilitiesSchema });
export const WallPageSchema = z.object({ items: z.array(WallListItemSchema), nextCursor: z.string().nullable() });

export const WallLiftSchema = z.strictObject({
  reason: z.enum(WALL_LIFT_REASONS).describe("Why the wall comes down (a code)"),
  reference: z.string().regex(WALL_REFERENCE).optional().describe("Ticket or file number"),
});
export const WallLiftedSchema = z.object({ id: z.uuid(), liftedAt: z.string() });
