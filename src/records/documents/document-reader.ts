/** Listing a client's documents and reading one document's details: metadata, versions, findings. */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentList } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "../clients/client-access.js";
import { type DocumentEvent, loadDocument, loadDocumentClient } from "./document-access.js";
import type { FindingPlace, PresentedDocument, PresentedVersion } from "./document.js";
import { presentDocument, presentVersion } from "./document-present.js";
import { findVersion, listClientDocuments, listVersions, openFindings } from "./document-store.js";

/** A client's documents (optionally one matter's), newest first; titles masked above the reader's reach. */
export async function listDocuments(
  services: Services,
  ctx: RequestContext,
  clientId: string,
  filter: { matterId?: string } = {},
): Promise<PresentedDocument[]> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.list", targetType: "client", targetId: clientId };
    const client = await loadDocumentClient(services, ctx, w, clientId, event);
    if (!("row" in client)) return client;
    const decision = authorizeDocumentList(ctx.actor, client.purpose, client.record, client.relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, client.relation, event);
    const rows = await listClientDocuments(w.tx, clientId, filter.matterId);
    const key = rows.length ? await services.keyRing.openDataKey(w.tx, clientId) : null;
    const view = { actor: ctx.actor, purpose: client.purpose, record: client.record, relation: client.relation, key };
    const out = rows.map((row) => presentDocument(services.vault, view, row));
    w.record({
      ...event,
      outcome: "success",
      reason: "permitted",
      details: { results: out.length, ...(filter.matterId ? { matterId: filter.matterId } : {}) },
    });
    return out;
  });
}

export interface DocumentDetail extends PresentedDocument {
  versions: PresentedVersion[];
  /** Where the current version's findings are (type, page, offset), never the values; null when masked. */
  findingPlaces: FindingPlace[] | null;
}

export async function readDocument(services: Services, ctx: RequestContext, documentId: string): Promise<DocumentDetail> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.read", targetType: "document", targetId: documentId };
    const found = await loadDocument(services, ctx, w, documentId, event);
    if (!("document" in found)) return found;
    const decision = authorizeDocumentList(ctx.actor, found.purpose, found.record, found.relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, found.relation, event);
    const current = await findVersion(w.tx, documentId, found.document.current_version);
    const key = await services.keyRing.openDataKey(w.tx, found.document.client_id);
    const view = { actor: ctx.actor, purpose: found.purpose, record: found.record, relation: found.relation, key };
    const presented = presentDocument(services.vault, view, { ...found.document, ...current! });
    const places =
      !presented.masked && current?.findings_ct && key ? openFindings(services.vault, key, documentId, current.version, current.findings_ct).places : null;
    const versions = (await listVersions(w.tx, documentId)).map(presentVersion);
    w.record({ ...event, outcome: "success", reason: "permitted", details: { clientId: found.document.client_id, masked: presented.masked } });
    return { ...presented, versions, findingPlaces: places };
  });
}
