/**
 * What every document use case loads before the policy decides: the declared purpose, the client
 * and the caller's relation to it, and the document itself. SQL and facts only; decisions are the
 * policy's (src/access/policy/policy.ts).
 */
import type { RequestContext } from "../../access/policy/actor.js";
import type { ClientRelation, GuardedRecord } from "../../access/policy/policy.js";
import type { AuditDraft, AuditedWork, Refusal } from "../../platform/audit/audited.js";
import type { DbClient, DbDocument } from "../../platform/db/schema.js";
import { NotFoundError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { consentTermsFor } from "../../rights/consent/consent-terms.js";
import { requirePurpose } from "../clients/client-access.js";
import { findClientRow } from "../clients/client-store.js";
import { clientRelation } from "../matters/need-to-know.js";
import { findDocument } from "./document-store.js";

export type DocumentEvent = Omit<AuditDraft, "outcome">;

/** The client a document use case works on, as the policy needs it. */
export interface DocumentClient {
  row: DbClient;
  purpose: string;
  relation: ClientRelation;
  record: GuardedRecord;
}

/** Loads the client under the declared purpose; refuses (audited) a missing purpose or client. */
export async function loadDocumentClient(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  clientId: string,
  event: DocumentEvent,
): Promise<Refusal | DocumentClient> {
  const purpose = await requirePurpose(services, ctx, w, String(event.action), clientId);
  if (typeof purpose !== "string") return purpose;
  const row = await findClientRow(w.tx, clientId);
  if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
  const relation = await clientRelation(w.tx, ctx.actor, row);
  const consent = await consentTermsFor(w.tx, clientId, purpose);
  const record: GuardedRecord = { purposes: JSON.parse(row.purposes) as string[], erased: row.status === "erased", fieldLevels: {}, consent };
  return { row, purpose, relation, record };
}

/** A document that exists and was not destroyed, with its client loaded; 404 otherwise (audited). */
export async function loadDocument(
  services: Services,
  ctx: RequestContext,
  w: AuditedWork,
  documentId: string,
  event: DocumentEvent,
): Promise<Refusal | (DocumentClient & { document: DbDocument })> {
  const document = await findDocument(w.tx, documentId);
  if (!document || document.destroyed_at !== null) return w.refuse(NotFoundError("Document"), event, "failure");
  const client = await loadDocumentClient(services, ctx, w, document.client_id, { ...event, details: { ...event.details, clientId: document.client_id } });
  if (!("row" in client)) return client;
  return { ...client, document };
}
