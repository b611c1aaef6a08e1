import { z } from "zod";
import { LOOKUP_IDS_LIMIT } from "../../../records/clients/client-lookup.js";

export const LookupQuery = z.object({
  q: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe("What was typed: a name prefix or surname, the last 4 of an ID number or phone, a matter number, or a pasted id"),
});
export type LookupRequest = z.infer<typeof LookupQuery>;

export const ClientIdsQuery = z.strictObject({
  ids: z.array(z.uuid()).min(1).max(LOOKUP_IDS_LIMIT).describe("Client ids to name (a screen's references, resolved in one request)"),
});

export const StaffLookupQuery = LookupQuery.extend({
  active: z.enum(["true", "false"]).optional().describe("Only active accounts (for forms that name someone new)"),
});

export const ClientLookupItemSchema = z.object({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  tail: z
    .object({ field: z.enum(["idNumber", "phone"]), value: z.string() })
    .nullable()
    .describe("Last 4 of the ID number (clearance 4) or else of the phone (clearance 3, access conditions met); null when neither is read in clear"),
});
export const ClientLookupSchema = z.object({
  items: z.array(ClientLookupItemSchema),
  by: z.array(z.enum(["name", "idTail", "phoneTail", "id"])).describe("How the query was read"),
});

export const MatterLookupItemSchema = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string().nullable(),
  status: z.string(),
  clientId: z.string(),
});
export const MatterLookupSchema = z.object({ items: z.array(MatterLookupItemSchema) });

export const StaffLookupItemSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.string(),
  status: z.enum(["active", "disabled"]),
  eligibleAs: z.object({ responsiblePartner: z.boolean(), wallOwner: z.boolean() }),
});
export const StaffLookupSchema = z.object({ items: z.array(StaffLookupItemSchema) });
