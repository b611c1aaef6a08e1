import { z } from "zod";
import { ACKNOWLEDGEMENT_KINDS } from "../../../rights/consent/consent.js";
import { GENERALISATIONS, PROFILE_FIELDS, RULE_KINDS } from "../../../vault/deidentification/profile.js";
import { DISCLOSURE_LEGAL_BASES, MAX_CLIENTS } from "../../../records/disclosures/disclosure.js";

const reference = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$/)
  .describe("A ticket, letter or file number: letters, digits and . _ : / - only");

export const DisclosureCreateSchema = z.strictObject({
  partnerId: z.uuid(),
  clientIds: z.array(z.uuid()).min(1).max(MAX_CLIENTS).describe("Each needs an approved disclose grant of the caller for this purpose"),
  profileCode: z.string().min(1).max(40).describe("The de-identification profile in force is applied and recorded with its version"),
  purpose: z.string().min(1).max(64).describe("A registered purpose code"),
  legalBasis: z
    .enum(DISCLOSURE_LEGAL_BASES)
    .describe("consent and sensitive fields under contract need the client's consent to this recipient (PIPL 23, 29); legal_claims and legal_duty do not"),
  reference: reference.optional(),
});
export type DisclosureCreateRequest = z.infer<typeof DisclosureCreateSchema>;

export const DisclosureResultSchema = z.object({
  disclosureId: z.string(),
  createdAt: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  profile: z.object({ code: z.string(), version: z.number(), sealed: z.boolean() }),
  clientIds: z.array(z.string()),
  warnings: z.array(z.string()),
  package: z
    .object({
      json: z.string().nullable().describe("The JSON document { manifest, records }"),
      csv: z.string().nullable().describe("The same rows as CSV (UTF-8 with BOM)"),
      sealed: z.string().nullable().describe("Sealed profile: the encrypted JSON document, base64"),
      sealedKey: z.string().nullable().describe("Sealed profile: the one-time key, base64: hand it over out of band"),
    })
    .describe("Returned once and never stored: download it now"),
  record: z.object({ jsonSha256: z.string(), csvSha256: z.string().nullable(), sealedSha256: z.string().nullable(), recordsSha256: z.string() }),
});

const HoldingSchema = z.object({
  clientId: z.string(),
  approvalRequestId: z.string(),
  grantId: z.string(),
  fields: z.array(z.object({ field: z.string(), rule: z.string(), method: z.string().nullable() })),
  packageRef: z.string().nullable(),
  status: z.enum(["held", "return_requested", "returned", "deleted_confirmed"]),
  returnRequestedAt: z.string().nullable(),
  returnReason: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  confirmationReference: z.string().nullable(),
  confirmedBy: z.string().nullable(),
});

const ManifestSchema = z
  .object({
    format: z.literal("custodia-disclosure/v1"),
    disclosureId: z.string(),
    createdAt: z.string(),
    partner: z.object({ id: z.string(), name: z.string() }),
    purpose: z.string(),
    legalBasis: z.string(),
    profile: z.object({
      code: z.string(),
      version: z.number(),
      nameZh: z.string(),
      nameEn: z.string(),
      identifying: z.boolean(),
      identifyingFields: z.array(z.enum(PROFILE_FIELDS)),
      sealed: z.boolean(),
    }),
    fields: z.array(z.object({ field: z.enum(PROFILE_FIELDS), rule: z.enum(RULE_KINDS), method: z.enum(GENERALISATIONS).nullable() })),
    omitted: z.array(z.enum(PROFILE_FIELDS)),
    recordCount: z.number(),
    recordsSha256: z.string(),
  })
  .describe("What left, in which form, how many rows, and the records' SHA-256: no values");

export const DisclosureSchema = z.object({
  id: z.string(),
  partner: z.object({ id: z.string(), name: z.string() }),
  requesterId: z.string(),
  purpose: z.string(),
  legalBasis: z.string(),
  profile: z.object({ code: z.string(), version: z.number() }),
  reference: z.string().nullable(),
  warnings: z.array(z.string()),
  createdAt: z.string(),
  manifest: ManifestSchema,
  digests: z.object({ jsonSha256: z.string(), csvSha256: z.string().nullable(), sealedSha256: z.string().nullable() }),
  holdings: z.array(HoldingSchema),
});
export const DisclosureListSchema = z.object({ items: z.array(DisclosureSchema) });
export const DisclosureListQuery = z.strictObject({ partnerId: z.uuid().optional(), clientId: z.uuid().optional() });
export const DisclosureParams = z.strictObject({ id: z.uuid() });

export const PartnerHoldingsSchema = z.object({
  partnerId: z.string(),
  outstanding: z.number().describe("Clients whose rows the partner still holds"),
  disclosures: z.array(
    z.object({
      id: z.string(),
      createdAt: z.string(),
      purpose: z.string(),
      profile: z.object({ code: z.string(), version: z.number() }),
      holdings: z.array(HoldingSchema),
    }),
  ),
});

export const ReturnRequestSummarySchema = z.object({
  holdings: z.array(z.object({ disclosureId: z.string(), clientId: z.string(), partnerId: z.string() })),
  partners: z.array(z.object({ partnerId: z.string(), emailsQueued: z.number() })),
});

export const ConfirmationCreateSchema = z.strictObject({
  clientId: z.uuid().optional().describe("One client's rows; all outstanding rows of the disclosure when absent"),
  kind: z.enum(["returned", "deleted"]),
  confirmedAt: z.iso.datetime({ offset: true }),
  reference: reference,
});
export const ConfirmationResultSchema = z.object({ confirmed: z.array(z.object({ clientId: z.string(), status: z.string() })) });

export const RecipientConsentCreateSchema = z.strictObject({
  clientId: z.uuid(),
  partnerId: z.uuid(),
  purpose: z.string().min(1).max(64),
  status: z.enum(["granted", "withdrawn"]),
  acknowledgement: z.strictObject({ kind: z.enum(ACKNOWLEDGEMENT_KINDS), reference }),
  givenAt: z.iso.datetime({ offset: true }).optional(),
});
export const RecipientConsentSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  partnerId: z.string(),
  purpose: z.string(),
  revision: z.number(),
  status: z.enum(["granted", "withdrawn"]),
  acknowledgement: z.object({ kind: z.string(), reference: z.string() }),
  givenAt: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});
