import { z } from "zod";
import { humanText } from "../../schema-text.js";
import { INCIDENT_CAUSES, REMEDIAL_MEASURES } from "../../../platform/i18n/incident-notices.js";
import { INCIDENT_CATEGORIES, INCIDENT_SOURCES, INCIDENT_STATUSES, RESPONSE_ROLES } from "../../../response/incidents/incident.js";
import { REPORT_CATEGORIES, REPORT_STATUSES } from "../../../response/incidents/internal-reports.js";
import { EVIDENCE_MAX_BYTES } from "../../../response/incidents/incident-evidence.js";
import { NOTICE_CHANNELS } from "../../../response/incidents/notice-sends.js";
import { PageQuery } from "../clients/schema.js";

export const IncidentIdParams = z.strictObject({ id: z.uuid() });
export const IncidentItemParams = z.strictObject({ id: z.uuid(), itemId: z.uuid() });
export const EvidenceParams = z.strictObject({ id: z.uuid(), evidenceId: z.uuid() });
export const ReportIdParams = z.strictObject({ id: z.uuid() });

const instant = z.iso.datetime({ offset: true });

const impact = {
  peopleAffected: z.number().int().min(0).max(100_000_000),
  l4Involved: z.boolean(),
  leftFirm: z.boolean().describe("Data left the firm's control"),
  euSubjects: z.boolean().describe("Clients in the EU are affected (GDPR regimes apply)"),
};

export const IncidentOpenSchema = z.strictObject({
  source: z.enum(INCIDENT_SOURCES),
  category: z.enum(INCIDENT_CATEGORIES),
  cause: z.enum(INCIDENT_CAUSES),
  measures: z.array(z.enum(REMEDIAL_MEASURES)).max(REMEDIAL_MEASURES.length),
  ...impact,
  awareAt: instant.optional().describe("When the firm became aware; deadlines run from here"),
  contact: humanText().min(3).max(200).describe("The firm's privacy contact printed in notices"),
});
export type IncidentOpenRequest = z.infer<typeof IncidentOpenSchema>;
export const AlertEscalateSchema = IncidentOpenSchema.omit({ source: true });
export type AlertEscalateRequest = z.infer<typeof AlertEscalateSchema>;

export const IncidentStatusSchema = z.strictObject({ status: z.enum(INCIDENT_STATUSES) });
export const IncidentImpactSchema = z.strictObject({
  peopleAffected: impact.peopleAffected.optional(),
  l4Involved: impact.l4Involved.optional(),
  leftFirm: impact.leftFirm.optional(),
  euSubjects: impact.euSubjects.optional(),
});
export const IncidentMemberSchema = z.strictObject({ userId: z.string().min(1).max(64), role: z.enum(RESPONSE_ROLES) });
export const IncidentTaskSchema = z.strictObject({
  title: humanText().min(1).max(200).describe("What to do; do not name clients"),
  ownerId: z.string().min(1).max(64),
  dueAt: instant,
});
export const BlastRadiusSchema = z
  .strictObject({ userId: z.string().min(1).max(64).optional(), tokenId: z.string().min(1).max(64).optional(), from: instant, to: instant })
  .refine((b) => (b.userId ? 1 : 0) + (b.tokenId ? 1 : 0) === 1, { message: "Give exactly one of userId and tokenId", path: ["userId"] });
export const NoticeDraftSchema = z.strictObject({
  audience: z.enum(["regulator", "client"]),
  language: z.enum(["zh-CN", "en"]),
  clientId: z.uuid().optional(),
});

export const IncidentSchema = z.object({
  id: z.string(),
  source: z.string(),
  category: z.string(),
  cause: z.string(),
  measures: z.array(z.string()),
  impact: z.object({ peopleAffected: z.number(), l4Involved: z.boolean(), leftFirm: z.boolean(), euSubjects: z.boolean() }),
  severity: z.string(),
  status: z.string(),
  awareAt: z.string(),
  contact: z.string(),
  alertId: z.string().nullable(),
  openedBy: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  timeline: z.array(z.object({ status: z.string(), at: z.string(), by: z.string() })),
  team: z.array(z.object({ userId: z.string(), role: z.string(), addedAt: z.string() })),
  tasks: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      ownerId: z.string(),
      dueAt: z.string(),
      status: z.string(),
      doneAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
  affectedClients: z
    .array(z.object({ clientId: z.string(), fields: z.array(z.string()), exported: z.boolean() }))
    .describe("Blast radius: client ids and field names only"),
  partnerNotices: z
    .array(z.object({ partnerIncidentId: z.string(), partnerId: z.string(), partnerName: z.string(), occurredOn: z.string(), clientDataInvolved: z.boolean() }))
    .describe("Partner breach notices linked to this incident (issue #13)"),
  partnerExposures: z
    .array(
      z.object({
        partnerId: z.string(),
        disclosureId: z.string(),
        clientId: z.string(),
        fields: z.array(z.object({ field: z.string(), rule: z.string(), method: z.string().nullable() })),
      }),
    )
    .describe("What the partner held when its notice opened the incident: per disclosure and client, each field in the form it left in (keep = in full)"),
  duties: z.array(
    z.object({
      id: z.string(),
      regime: z.string(),
      recipient: z.string(),
      dueAt: z.string(),
      dueAtLocal: z.string(),
      timeZone: z.string(),
      status: z.string(),
      doneAt: z.string().nullable(),
      unverified: z.boolean().describe("The regime's figure is an editable default not confirmed against the text"),
      remainingMs: z.number(),
      overdue: z.boolean(),
    }),
  ),
});

/** The caller's abilities on one incident (src/access/policy/abilities.ts): the console offers only these actions. */
export const IncidentAbilitiesSchema = z
  .object({
    manage: z.boolean().describe("Status, impact, team, tasks, duties, blast radius and notices"),
    evidence: z.boolean().describe("Upload, list and download evidence (incident.manage, or on the response team)"),
  })
  .describe("What the caller may do with this incident now, as the policy decides it; the API still decides every request");

/** One incident as its read and every change return it: with the caller's abilities on it. */
export const IncidentRecordSchema = IncidentSchema.extend({ abilities: IncidentAbilitiesSchema });

export const IncidentListItemSchema = IncidentSchema.pick({
  id: true,
  source: true,
  category: true,
  cause: true,
  severity: true,
  status: true,
  awareAt: true,
  alertId: true,
  openedBy: true,
  openedAt: true,
  closedAt: true,
}).extend({ peopleAffected: z.number() });
export const IncidentPageSchema = z.object({ items: z.array(IncidentListItemSchema), nextCursor: z.string().nullable() });

export const NoticeSchema = z.object({ audience: z.string(), language: z.string(), title: z.string(), body: z.string() });

export const ReportCreateSchema = z.strictObject({
  category: z.enum(REPORT_CATEGORIES),
  description: humanText({ multiline: true }).min(1).max(4000),
  anonymous: z.boolean().default(false).describe("No reporter id is stored or audited"),
});
export const ReportUpdateSchema = z.strictObject({
  status: z.enum(REPORT_STATUSES).optional(),
  note: humanText({ multiline: true }).min(1).max(4000).optional(),
  incidentId: z.uuid().optional(),
});
export const ReportSchema = z.object({
  id: z.string(),
  reporterId: z.string().nullable(),
  anonymous: z.boolean(),
  category: z.string(),
  status: z.string(),
  incidentId: z.string().nullable(),
  createdAt: z.string(),
  description: z.string(),
  notes: z.array(z.object({ authorId: z.string(), at: z.string(), text: z.string() })),
});

export const ReportListQuery = PageQuery.extend({ status: z.enum(REPORT_STATUSES).optional() });
export const ReportListItemSchema = ReportSchema.pick({
  id: true,
  reporterId: true,
  anonymous: true,
  category: true,
  status: true,
  incidentId: true,
  createdAt: true,
}).extend({ notes: z.number() });
export const ReportPageSchema = z.object({ items: z.array(ReportListItemSchema), nextCursor: z.string().nullable() });

// --- evidence and notice sends -------------------------------------------------------------------

/** Base64 of EVIDENCE_MAX_BYTES; the decoded size is checked again by the command. */
export const EVIDENCE_MAX_BASE64 = Math.ceil(EVIDENCE_MAX_BYTES / 3) * 4;
/** The upload route's body limit: the base64 content plus room for the other fields and JSON. */
export const EVIDENCE_BODY_LIMIT = EVIDENCE_MAX_BASE64 + 64 * 1024;

export const EvidenceUploadSchema = z.strictObject({
  filename: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^\u0000-\u001f\u007f/\\]+$/, "No control characters or slashes")
    .describe("The original name; sealed at rest (it may name a person)"),
  mediaType: z
    .string()
    .max(127)
    .regex(/^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/, "type/subtype")
    .describe("e.g. application/pdf, image/png"),
  content: z.string().min(1).max(EVIDENCE_MAX_BASE64).describe("The file, base64 (standard alphabet, padded); at most 5 MiB decoded"),
});
export type EvidenceUploadRequest = z.infer<typeof EvidenceUploadSchema>;
export const EvidenceItemSchema = z.object({
  id: z.string(),
  incidentId: z.string(),
  filename: z.string(),
  mediaType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string().describe("Hex SHA-256 of the plaintext, recorded at upload and checked on every download"),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});
export const EvidenceListSchema = z.object({ items: z.array(EvidenceItemSchema) });

export const NoticeSendSchema = z.strictObject({
  audience: z.literal("clients"),
  channel: z.enum(NOTICE_CHANNELS),
  language: z.enum(["zh-CN", "en"]).optional().describe("Default: the language of the client's last consented notice, else zh-CN"),
  clientIds: z.array(z.uuid()).min(1).max(10_000).optional().describe("Affected clients to notify; default: every affected client not yet sent the notice"),
});
export type NoticeSendRequest = z.infer<typeof NoticeSendSchema>;
export const NoticeSendRecordSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  channel: z.string(),
  language: z.string(),
  contact: z.string().nullable().describe("Masked"),
  status: z.enum(["queued", "sent", "failed", "not_sent"]),
  reason: z.enum(["no_contact", "client_erased"]).nullable(),
  messageId: z.string().nullable(),
  sentBy: z.string(),
  sentAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export const NoticeSendResultSchema = z.object({
  queued: z.number(),
  notSent: z.array(z.object({ clientId: z.string(), reason: z.string() })).describe("For staff follow-up by other means"),
  skipped: z.array(z.string()).describe("Already sent this incident's notice"),
  sends: z.array(NoticeSendRecordSchema),
});
export const NoticeSendListSchema = z.object({ items: z.array(NoticeSendRecordSchema) });
