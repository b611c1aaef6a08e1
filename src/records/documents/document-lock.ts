/** Check-out and check-in (as lawyers know from iManage): one holder at a time may add versions. */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentCheckIn, authorizeDocumentList, authorizeDocumentWrite } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import { ConflictError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { refuseRecord } from "../clients/client-access.js";
import { type DocumentEvent, loadDocument } from "./document-access.js";
import type { PresentedDocument } from "./document.js";
import { presentDocument } from "./document-present.js";
import { checkInDocument, checkOutDocument, findDocument, findVersion } from "./document-store.js";
import { DocumentCheckedOutError } from "./document-uploader.js";

const NotCheckedOutError = () => ConflictError("document_not_checked_out", "This document is not checked out.");

export async function changeDocumentLock(
  services: Services,
  ctx: RequestContext,
  documentId: string,
  change: "check_out" | "check_in",
): Promise<PresentedDocument> {
  return runAudited(services, ctx, async (w) => {
    const event: DocumentEvent = { action: change === "check_out" ? "document.check_out" : "document.check_in", targetType: "document", targetId: documentId };
    const found = await loadDocument(services, ctx, w, documentId, event);
    if (!("document" in found)) return found;
    const read = authorizeDocumentList(ctx.actor, found.purpose, found.record, found.relation);
    if (read.effect === "deny") return refuseRecord(w, ctx, read, found.relation, event);
    const now = new Date().toISOString();
    const holder = found.document.checked_out_by;
    const details = { clientId: found.document.client_id };
    if (change === "check_out") {
      const write = authorizeDocumentWrite(ctx.actor, found.record, found.relation);
      if (write.effect === "deny") return refuseRecord(w, ctx, write, found.relation, event);
      if (!(await checkOutDocument(w.tx, documentId, ctx.actor.userId, now))) return w.refuse(DocumentCheckedOutError(), { ...event, details }, "failure");
    } else {
      if (holder === null) return w.refuse(NotCheckedOutError(), { ...event, details }, "failure");
      const release = authorizeDocumentCheckIn(ctx.actor, found.record, found.relation, holder);
      if (release.effect === "deny") return refuseRecord(w, ctx, release, found.relation, event);
      if (!(await checkInDocument(w.tx, documentId, holder))) return w.refuse(NotCheckedOutError(), { ...event, details }, "failure");
    }
    // A partner clearing a colleague's lock is recorded as such: the holder is named in the event.
    w.record({ ...event, outcome: "success", reason: "permitted", details: { ...details, ...(holder && holder !== ctx.actor.userId ? { holder } : {}) } });
    const document = (await findDocument(w.tx, documentId))!;
    const version = (await findVersion(w.tx, documentId, document.current_version))!;
    const key = await services.keyRing.openDataKey(w.tx, document.client_id);
    return presentDocument(
      services.vault,
      { actor: ctx.actor, purpose: found.purpose, record: found.record, relation: found.relation, key },
      { ...document, ...version },
    );
  });
}
