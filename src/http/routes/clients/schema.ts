import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { CLIENT_KINDS, ID_TYPES } from "../../../records/clients/client.js";
import { ERASURE_REASONS } from "../../../records/clients/client-eraser.js";
import { PURPOSE_CHANGE_REASONS, PURPOSE_CHANGE_REFERENCE } from "../../../records/clients/client-purposes-changer.js";
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from "../../../platform/db/keyset-cursor.js";

// Text from people: no control characters (src/http/schema-text.ts); notes may span lines.
const text = (max: number, multiline = false) => humanText({ multiline }).max(max);
const optionalText = (max: number, multiline = false) => text(max, multiline).nullable().optional();
const purposeCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);

export const ClientIdParams = z.strictObject({ id: z.uuid() });

export const ClientCreateSchema = z.strictObject({
  kind: z.enum(CLIENT_KINDS).describe("person | organization"),
  name: text(200).describe("Full name or registered organisation name (L2)"),
  idType: z.enum(ID_TYPES).nullable().optional(),
  idNumber: optionalText(40).describe("Resident ID (GB 11643), passport, or unified social credit code (GB 32100) (L4)"),
  phone: optionalText(32).describe("Mainland mobile, landline, or E.164 (L3)"),
  email: optionalText(254),
  address: optionalText(500),
  birthDate: optionalText(10).describe("YYYY-MM-DD"),
  notes: optionalText(4000, true),
  purposes: z.array(purposeCode).min(1).max(20).describe("Purpose codes this record may be used for"),
});
export type ClientCreateRequest = z.infer<typeof ClientCreateSchema>;

export const ClientPatchSchema = ClientCreateSchema.omit({ kind: true })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "Change at least one field." });
export type ClientPatchRequest = z.infer<typeof ClientPatchSchema>;

/** PUT /clients/{id}/purposes: the whole new list, and why (a code; no free text). */
export const ClientPurposesSchema = z.strictObject({
  purposes: z.array(purposeCode).min(1).max(20).describe("Purpose codes this record may be used for from now on"),
  reason: z.enum(PURPOSE_CHANGE_REASONS).describe("Why the purposes change (a code)"),
  reference: z.string().regex(PURPOSE_CHANGE_REFERENCE).optional().describe("Ticket or file number"),
});
export type ClientPurposesRequest = z.infer<typeof ClientPurposesSchema>;

export const ClientPurposesChangedSchema = z.object({
  id: z.uuid(),
  purposes: z.array(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  reason: z.enum(PURPOSE_CHANGE_REASONS),
  reference: z.string().nullable(),
  changedAt: z.string(),
});

export const ClientSearchQuery = z.strictObject({
  name: text(200).optional(),
  idNumber: text(40).optional(),
  phone: text(32).optional(),
  email: text(254).optional(),
});

export const ClientEraseSchema = z.strictObject({
  reason: z.enum(ERASURE_REASONS).describe("Ground for erasure (PIPL Art. 47)"),
  reference: z
    .string()
    .regex(/^[A-Za-z0-9._/-]{1,64}$/)
    .optional()
    .describe("Ticket or request number"),
});

export const ClientSchema = z.object({
  id: z.uuid(),
  kind: z.enum(CLIENT_KINDS),
  name: z.string(),
  idType: z.enum(ID_TYPES).nullable(),
  idNumber: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  address: z.string().nullable(),
  birthDate: z.string().nullable(),
  notes: z.string().nullable(),
  purposes: z.array(z.string()),
  status: z.enum(["active", "erased"]),
  createdAt: z.string(),
  updatedAt: z.string(),
  access: z.object({
    decision: z.enum(["allow", "mask"]),
    reason: z.string(),
    maskedFields: z.array(z.string()).describe("Fields returned masked because they are above the reader's clearance"),
    via: z.enum(["grant", "break_glass"]).optional().describe("Read through an approval grant or a break-glass access"),
  }),
});

/** The caller's abilities on one client (src/access/policy/abilities.ts): the console offers only these actions. */
export const ClientAbilitiesSchema = z
  .object({
    read: z.boolean(),
    update: z.boolean().describe("PATCH /clients/{id} (fields the caller reads masked stay refused)"),
    erase: z.boolean().describe("POST /clients/{id}/erase; false under a legal hold"),
    export: z.boolean().describe("GET /clients/{id}/export: only with a current export grant"),
    requestApproval: z.boolean().describe("POST /approvals for this client (the way to an export or read_sensitive grant)"),
    breakGlass: z.boolean().describe("POST /clients/{id}/break-glass"),
    manageConsent: z.boolean().describe("Record or withdraw the client's consent"),
    liftRestriction: z.boolean().describe("End a restriction of processing; false when none is in force"),
    openMatter: z.boolean().describe("POST /matters for this client"),
    changePurposes: z.boolean().describe("PUT /clients/{id}/purposes; false while processing is restricted"),
  })
  .describe("What the caller may do with this client now, as the policy decides it; the API still decides every request");

/** GET /clients/{id}: the client with the caller's abilities on it. */
export const ClientRecordSchema = ClientSchema.extend({ abilities: ClientAbilitiesSchema });

export const ErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    fields: z.array(z.object({ field: z.string(), code: z.string(), message: z.string() })).optional(),
  }),
  requestId: z.string(),
});

/** Keyset paging for lists (newest first). The cursor is opaque and holds no personal data. */
export const PageQuery = z.strictObject({
  cursor: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional()
    .describe("nextCursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
});
export type PageRequest = z.infer<typeof PageQuery>;

export const ClientListItemSchema = z.object({
  id: z.uuid(),
  kind: z.enum(CLIENT_KINDS),
  name: z.string().describe("Masked above the reader's clearance"),
  status: z.enum(["active", "erased"]),
  createdAt: z.string(),
  maskedFields: z.array(z.string()).describe("Fields of this item returned masked"),
});
export const ClientPageSchema = z.object({ items: z.array(ClientListItemSchema), nextCursor: z.string().nullable() });
