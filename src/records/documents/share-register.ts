/**
 * Who outside holds what: one document's shares for those who may see the document, and the
 * firm-wide recipient register for compliance and partners. Recipients are opened with each
 * client's key; documents are named by id and level, never by title.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentList, authorizeShareRegister } from "../../access/policy/policy.js";
import { screenedClients } from "../../access/walls/screening.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import type { DataKey } from "../../vault/vault.js";
import { refuseRecord } from "../clients/client-access.js";
import { type DocumentEvent, loadDocument } from "./document-access.js";
import { EMAIL_MAC_PURPOSE, normaliseEmail, type PresentedShare, type ShareStatus } from "./share.js";
import { presentShare } from "./share-present.js";
import { listRegister, listSharesOf } from "./share-store.js";

/** One document's shares, newest first. */
export async function listDocumentShares(services: Services, ctx: RequestContext, documentId: string): Promise<PresentedShare[]> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: "document.share_list", targetType: "document", targetId: documentId };
    const found = await loadDocument(services, ctx, w, documentId, event);
    if (!("document" in found)) return found;
    const decision = authorizeDocumentList(ctx.actor, found.purpose, found.record, found.relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, found.relation, event);
    const rows = await listSharesOf(w.tx, documentId);
    const key = rows.length ? await services.keyRing.openDataKey(w.tx, found.document.client_id) : null;
    const now = new Date();
    const out = rows.map((row) => presentShare(services.vault, key, row, found.document.level, now));
    w.record({ ...event, outcome: "success", reason: "permitted", details: { clientId: found.document.client_id, results: out.length } });
    return out;
  });
}

export interface RegisterFilter {
  /** Shares made at or after this instant. */
  since?: string | undefined;
  status?: ShareStatus | undefined;
  /** Every share to this address (matched by its keyed MAC, never stored in clear). */
  email?: string | undefined;
}

/** The most a register answer holds; narrow it with `since`. */
export const REGISTER_LIMIT = 500;

/** The firm-wide recipient register, newest first; clients behind a wall screening the reader are left out. */
export async function listShareRegister(services: Services, ctx: RequestContext, filter: RegisterFilter = {}): Promise<PresentedShare[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "document.share_register", targetType: null, targetId: null };
    const decision = authorizeShareRegister(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, event);
    const screened = await screenedClients(w.tx, ctx.actor.userId);
    const emailMac = filter.email ? services.vault.mac(EMAIL_MAC_PURPOSE, normaliseEmail(filter.email)) : undefined;
    const rows = (await listRegister(w.tx, { since: filter.since, emailMac, limit: REGISTER_LIMIT })).filter((r) => !screened.has(r.client_id));
    const keys = new Map<string, DataKey | null>();
    const now = new Date();
    const out: PresentedShare[] = [];
    for (const row of rows) {
      if (!keys.has(row.client_id)) keys.set(row.client_id, await services.keyRing.openDataKey(w.tx, row.client_id));
      const share = presentShare(services.vault, keys.get(row.client_id) ?? null, row, row.level, now);
      if (!filter.status || share.status === filter.status) out.push(share);
    }
    // The filter's address is personal data: the event says only that one was given.
    w.record({
      ...event,
      outcome: "success",
      reason: "permitted",
      details: { results: out.length, byRecipient: emailMac !== undefined, ...(filter.status ? { status: filter.status } : {}) },
    });
    return out;
  });
}
