import { z } from "zod";
import { ACKNOWLEDGEMENT_KINDS, ACKNOWLEDGEMENT_REFERENCE, CONSENT_CHANNELS } from "../../../rights/consent/consent.js";
import { LEGAL_BASES } from "../../../rights/consent/legal-basis.js";
import { NOTICE_LANGUAGES } from "../../../rights/notices/notice.js";

const purposeCode = z.string().regex(/^[a-z][a-z0-9-]{0,63}$/);
const isoTime = z.iso.datetime({ offset: true });

export const ClientConsentParams = z.strictObject({ id: z.uuid() });
export const ClientConsentPurposeParams = z.strictObject({ id: z.uuid(), purpose: purposeCode });

export const AcknowledgementSchema = z.strictObject({
  kind: z.enum(ACKNOWLEDGEMENT_KINDS),
  reference: z.string().regex(ACKNOWLEDGEMENT_REFERENCE).describe("Form number, click-record id or message id; never free text"),
});

export const ConsentGrantSchema = z.strictObject({
  purpose: purposeCode,
  separate: z.boolean().default(false).describe("Separate consent (PIPL Art. 23, 29) for sensitive fields or third-party provision"),
  channel: z.enum(CONSENT_CHANNELS),
  noticeVersion: z.number().int().positive().optional().describe("Notice version shown; by default the one in force at givenAt"),
  noticeLanguage: z.enum(NOTICE_LANGUAGES),
  acknowledgement: AcknowledgementSchema,
  givenAt: isoTime.optional().describe("When the client gave it; by default now"),
});
export type ConsentGrantRequest = z.infer<typeof ConsentGrantSchema>;

export const ConsentWithdrawSchema = z.strictObject({
  channel: z.enum(CONSENT_CHANNELS),
  acknowledgement: AcknowledgementSchema,
  givenAt: isoTime.optional(),
});
export type ConsentWithdrawRequest = z.infer<typeof ConsentWithdrawSchema>;

export const ConsentRecordSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  purpose: z.string(),
  revision: z.number(),
  status: z.enum(["granted", "withdrawn"]),
  separate: z.boolean(),
  channel: z.enum(CONSENT_CHANNELS),
  noticeVersion: z.number().nullable(),
  noticeHash: z.string().nullable().describe("SHA-256 of the notice version shown (its published hash)"),
  noticeLanguage: z.string().nullable(),
  acknowledgement: z.object({ kind: z.enum(ACKNOWLEDGEMENT_KINDS), reference: z.string() }),
  givenAt: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string(),
});

export const ConsentListSchema = z.object({
  current: z.array(
    z.object({
      purpose: z.string(),
      legalBasis: z.enum(LEGAL_BASES),
      legalBasisZh: z.string(),
      legalBasisEn: z.string(),
      requiresSeparateConsentForSensitive: z.boolean(),
      consent: z.enum(["none", "granted", "separate"]),
      since: z.string().nullable(),
    }),
  ),
  items: z.array(ConsentRecordSchema),
});
