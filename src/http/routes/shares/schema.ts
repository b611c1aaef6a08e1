import { z } from "zod";
import { RECIPIENT_KINDS, SHARE_DEFAULT_DAYS, SHARE_MAX_DAYS, SHARE_MAX_DOWNLOADS, SHARE_STATUSES } from "../../../records/documents/share.js";

export const ShareParams = z.strictObject({ id: z.uuid() });
export const DocumentParams = z.strictObject({ id: z.uuid() });
/** The link's secret as the URL carries it; its shape is checked (and a bad one audited) by the use case. */
export const LinkParams = z.strictObject({ token: z.string().min(1).max(128) });

export const ShareCreateSchema = z.strictObject({
  recipient: z.strictObject({
    kind: z.enum(RECIPIENT_KINDS),
    name: z.string().max(200).describe("The person who receives the document; sealed, and watermarked on the copy"),
    organisation: z.string().max(400).nullable().optional().describe("Court, firm or authority; sealed"),
    email: z.string().max(254).describe("Where the one-time code is sent; sealed"),
  }),
  expiresInDays: z.number().int().optional().describe(`1 to ${SHARE_MAX_DAYS} (default ${SHARE_DEFAULT_DAYS})`),
  maxDownloads: z.number().int().optional().describe(`1 to ${SHARE_MAX_DOWNLOADS} (default 1)`),
});
export type ShareCreateRequest = z.infer<typeof ShareCreateSchema>;

export const ShareSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  version: z.number().int(),
  clientId: z.string(),
  level: z.number().int().min(1).max(4),
  sharedBy: z.string(),
  recipientKind: z.enum(RECIPIENT_KINDS),
  recipient: z
    .object({ name: z.string(), organisation: z.string().nullable(), email: z.string() })
    .nullable()
    .describe("Null once the client's key was shredded"),
  purpose: z.string(),
  grantId: z.string().describe("The forward_document grant the share was made under"),
  status: z.enum(SHARE_STATUSES).describe("pending: an L4 share awaiting its second person"),
  expiresAt: z.string(),
  maxDownloads: z.number().int(),
  downloads: z.number().int(),
  codeSentAt: z.string().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const CreatedShareSchema = z.object({
  share: ShareSchema,
  link: z.string().describe("The link's path (/shared/<token>), shown once; hand it to the recipient. The code goes to their email."),
});

export const RegisterQuery = z.strictObject({
  since: z.iso.datetime().optional(),
  status: z.enum(SHARE_STATUSES).optional(),
  email: z.string().max(254).optional().describe("Every share to this address"),
});

export const SharedLinkSchema = z.object({
  firm: z.string().nullable(),
  status: z.enum(SHARE_STATUSES),
  expiresAt: z.string(),
  downloadsLeft: z.number().int(),
  codeActive: z.boolean().describe("A code was sent and is still good"),
});

export const SharedDownloadSchema = z.strictObject({ code: z.string().min(1).max(16).describe("The one-time code sent to the recipient") });
