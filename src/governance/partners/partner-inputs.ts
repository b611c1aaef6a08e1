/**
 * What staff send to the partner register, validated the same way from the API and the CLI
 * (the route schemas re-export these).
 */
import { z } from "zod";
import { humanText } from "../../http/schema-text.js";
import { INCIDENT_CAUSES, REMEDIAL_MEASURES } from "../../platform/i18n/incident-notices.js";
import { INCIDENT_CATEGORIES } from "../../response/incidents/incident.js";
import {
  ART21_OBLIGATIONS,
  CONTRACT_KINDS,
  PARTNER_DATA_CATEGORIES,
  PARTNER_KINDS,
  PARTNER_STATUSES,
  PIA_CONCLUSIONS,
  PIPL_ROLES,
  TRANSFER_MECHANISMS,
} from "./partner.js";

const day = z.iso.date().describe("YYYY-MM-DD");
const country = z
  .string()
  .regex(/^[A-Z]{2}$/)
  .describe("ISO 3166-1 alpha-2 country code; CN is mainland China");

export const ContactInput = z.strictObject({
  name: humanText().min(1).max(100).describe("Sealed at rest"),
  email: z.email().max(200).optional().describe("Sealed at rest"),
  phone: humanText().min(5).max(30).optional().describe("Sealed at rest"),
});
export type ContactInput = z.infer<typeof ContactInput>;

export const PartnerCreateInput = z.strictObject({
  name: humanText().min(1).max(200).describe("The organisation's name"),
  kind: z.enum(PARTNER_KINDS),
  piplRole: z.enum(PIPL_ROLES),
  jurisdiction: country,
  services: humanText({ multiline: true }).max(2000).default(""),
  dataCategories: z.array(z.enum(PARTNER_DATA_CATEGORIES)).max(PARTNER_DATA_CATEGORIES.length).default([]),
  maxLevel: z.number().int().min(1).max(4).describe("Highest sensitivity level (L1–L4) the partner may receive"),
  status: z.enum(PARTNER_STATUSES).default("prospective"),
  contacts: z.array(ContactInput).max(20).default([]),
});
export type PartnerCreateInput = z.infer<typeof PartnerCreateInput>;

// Spelled out rather than derived: a derived `.partial()` would keep the defaults and reset fields not sent.
export const PartnerUpdateInput = z.strictObject({
  name: humanText().min(1).max(200).optional(),
  kind: z.enum(PARTNER_KINDS).optional(),
  piplRole: z.enum(PIPL_ROLES).optional(),
  jurisdiction: country.optional(),
  services: humanText({ multiline: true }).max(2000).optional(),
  dataCategories: z.array(z.enum(PARTNER_DATA_CATEGORIES)).max(PARTNER_DATA_CATEGORIES.length).optional(),
  maxLevel: z.number().int().min(1).max(4).optional(),
  status: z.enum(PARTNER_STATUSES).optional(),
});
export type PartnerUpdateInput = z.infer<typeof PartnerUpdateInput>;

export const AssessmentInput = z.strictObject({
  assessedOn: day.optional().describe("Defaults to today"),
  answers: z.record(z.string().regex(/^[a-z0-9_]{1,64}$/), humanText({ multiline: true }).max(2000)),
  reassessmentDueOn: day.optional().describe("Defaults to 12 months after, 6 for a high-risk partner"),
});
export type AssessmentInput = z.infer<typeof AssessmentInput>;

export const QuestionUpdateInput = z.strictObject({
  textZh: humanText().min(1).max(500).optional(),
  textEn: humanText().min(1).max(500).optional(),
  riskByAnswer: z.record(z.string().regex(/^[a-z0-9_]{1,64}$/), z.enum(["low", "medium", "high"])).optional(),
  active: z.boolean().optional(),
});
export type QuestionUpdateInput = z.infer<typeof QuestionUpdateInput>;

const obligation = z.strictObject({ met: z.boolean(), note: humanText().max(500).nullable().default(null) });
export const ContractInput = z.strictObject({
  kind: z.enum(CONTRACT_KINDS),
  version: humanText().min(1).max(50),
  signedOn: day,
  expiresOn: day.nullable().default(null),
  obligations: z
    .strictObject(
      Object.fromEntries(ART21_OBLIGATIONS.map((o) => [o, obligation.default({ met: false, note: null })])) as Record<
        (typeof ART21_OBLIGATIONS)[number],
        z.ZodDefault<typeof obligation>
      >,
    )
    .default(Object.fromEntries(ART21_OBLIGATIONS.map((o) => [o, { met: false, note: null }])) as never)
    .describe("PIPL Art 21 checklist"),
  documentId: z.uuid().nullable().default(null).describe("The signed copy in the document store"),
});
export type ContractInput = z.infer<typeof ContractInput>;

export const PiaInput = z.strictObject({
  conductedOn: day,
  summary: humanText({ multiline: true }).min(1).max(8000).describe("Sealed at rest"),
  conclusion: z.enum(PIA_CONCLUSIONS),
});
export type PiaInput = z.infer<typeof PiaInput>;

export const TransferBasisInput = z.strictObject({
  destination: country,
  mechanism: z.enum(TRANSFER_MECHANISMS),
  reference: humanText().min(1).max(200).describe("Filing number, assessment reference, certificate or clause"),
  validFrom: day,
  validUntil: day.nullable().default(null),
  verified: z.boolean().default(false),
  piaId: z.uuid().nullable().default(null),
});
export type TransferBasisInput = z.infer<typeof TransferBasisInput>;

/** Opening a Custodia incident from the partner's breach notice: its blast radius is what the partner held. */
export const PartnerNoticeIncidentInput = z.strictObject({
  category: z.enum(INCIDENT_CATEGORIES),
  cause: z.enum(INCIDENT_CAUSES),
  measures: z.array(z.enum(REMEDIAL_MEASURES)).max(REMEDIAL_MEASURES.length).default([]),
  peopleAffected: z.number().int().min(0).max(100_000_000).optional().describe("Raised to the number of clients the partner held"),
  l4Involved: z.boolean().optional().describe("Also set when an L4 field left in full"),
  euSubjects: z.boolean().optional(),
  awareAt: z.iso.datetime({ offset: true }).optional().describe("When the firm became aware (the notice arrived); deadlines run from here"),
  contact: humanText().min(3).max(200).describe("The firm's privacy contact printed in notices"),
});
export type PartnerNoticeIncidentInput = z.infer<typeof PartnerNoticeIncidentInput>;

export const PartnerIncidentInput = z
  .strictObject({
    occurredOn: day,
    description: humanText({ multiline: true }).min(1).max(8000).describe("Sealed at rest"),
    clientDataInvolved: z.boolean(),
    incidentId: z.uuid().nullable().default(null).describe("A Custodia incident"),
    openIncident: PartnerNoticeIncidentInput.optional().describe("Open a Custodia incident for this notice (needs incident.manage too)"),
  })
  .refine((i) => !(i.incidentId && i.openIncident), { message: "Link an incident or open one, not both", path: ["openIncident"] });
export type PartnerIncidentInput = z.infer<typeof PartnerIncidentInput>;
