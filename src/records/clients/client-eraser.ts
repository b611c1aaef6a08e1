import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeRecordWrite } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { NotFoundError } from "../../platform/errors.js";
import { activeHoldFor } from "../../rights/holds/hold-store.js";
import { LegalHoldError } from "../../rights/requests/request.js";
import { clearTitlesOfClient } from "../matters/matter-store.js";
import { type DocumentDestruction, type DocumentDestructionReason, destroyClientDocuments } from "../documents/document-destroyer.js";
import { purgeAfterCommit } from "../documents/document-blob-sweeper.js";
import { clientRelation } from "../matters/need-to-know.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "./client-access.js";
import { NO_SEALED_COLUMNS } from "./client-sealing.js";
import { findClientRow } from "./client-store.js";
import { deleteSearchTokens } from "./search-tokens.js";

/** Why a client is erased: the grounds of PIPL Art. 47, so no free text reaches the audit log. */
export const ERASURE_REASONS = [
  "client_request",
  "consent_withdrawn",
  "purpose_fulfilled",
  "retention_expired",
  "unlawful_processing",
  "legal_requirement",
] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export interface ErasureRequest {
  reason: ErasureReason;
  /** A ticket or request number, for the paper trail. */
  reference?: string | undefined;
}

/**
 * Crypto-shredding: destroys the client's data key and clears ciphertexts and blind indexes.
 * The record keeps only its id, kind, purposes and timestamps, so the audit trail stays whole.
 */
export async function eraseClient(
  services: Services,
  ctx: RequestContext,
  id: string,
  request: ErasureRequest,
): Promise<{ id: string; status: "erased"; erasedAt: string }> {
  const erased = await runAudited(services, ctx, async (w) => {
    const event = { action: "client.erase", targetType: "client", targetId: id, purpose: null };
    const row = await findClientRow(w.tx, id);
    if (!row) return w.refuse(NotFoundError("Client"), event, "failure");
    const relation = await clientRelation(w.tx, ctx.actor, row);
    const decision = authorizeRecordWrite(ctx.actor, "client.erase", { erased: row.status === "erased" }, relation);
    if (decision.effect === "deny") return refuseRecord(w, ctx, decision, relation, event);
    // A legal hold keeps the data whatever the ground for erasure (src/rights/holds/).
    const hold = await activeHoldFor(w.tx, id);
    if (hold) return w.refuse(LegalHoldError(), { ...event, details: { holdId: hold.id, holdReason: hold.reason } }, "denied");
    const now = new Date().toISOString();
    const documents = await shredClient(services, w.tx, id, row.row_version, now);
    w.record({
      ...event,
      outcome: "success",
      details: { reason: request.reason, reference: request.reference ?? null, method: "crypto-shredding", documents: documents.documents },
    });
    return { id, status: "erased" as const, erasedAt: now };
  });
  // The files' ciphertext leaves the blob store once the erasure committed (document-blob-sweeper.ts).
  await purgeAfterCommit(services);
  return erased;
}

/**
 * Destroys the client's data key and clears its ciphertexts and indexes, and destroys its documents
 * (counted for the caller's event or certificate); the caller has authorised the erasure, checked
 * legal holds and records the event, and calls `purgeAfterCommit` once committed. Shared with
 * deletion requests, retention destruction and the erasure ledger.
 */
export async function shredClient(
  services: Services,
  tx: Tx,
  id: string,
  rowVersion: number,
  now: string,
  documentReason: DocumentDestructionReason = "client_erased",
): Promise<DocumentDestruction> {
  await services.keyRing.shred(tx, id, now);
  await tx
    .updateTable("clients")
    .set({
      ...NO_SEALED_COLUMNS,
      status: "erased",
      erased_at: now,
      updated_at: now,
      row_version: rowVersion + 1,
    })
    .where("id", "=", id)
    .execute();
  await deleteSearchTokens(tx, [id]);
  // Matter titles are sealed with the same data key; matters clears them.
  await clearTitlesOfClient(tx, id);
  // So are the documents' titles and file keys; documents destroys them, rows kept for the record.
  return destroyClientDocuments(tx, id, now, documentReason);
}
