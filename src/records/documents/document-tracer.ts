/**
 * Leak tracing (issue #11 ★): given a leaked file, name the copies it came from. A PDF or DOCX
 * copy carries its own fingerprint (watermark/); any byte-identical copy of a stored version is
 * recognised by its keyed MAC, which narrows it to that version's copies.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeDocumentTrace } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbDocumentCopy } from "../../platform/db/schema.js";
import type { Services } from "../../platform/services.js";
import { CONTENT_MAC_PURPOSE } from "./document-intake.js";
import { findCopyByFingerprint, findDocument, findVersionsByMac, listCopies } from "./document-store.js";
import { readFingerprints } from "./watermark/index.js";

export interface TracedCopy {
  copyId: string;
  documentId: string;
  clientId: string;
  version: number;
  kind: string;
  userId: string | null;
  shareId: string | null;
  createdAt: string;
  requestId: string | null;
  /** How the copy was recognised. */
  evidence: "metadata" | "invisible_text" | "geometry" | "exact_content";
  /** The audit event that handed the copy out. */
  auditEventId: string | null;
}

export interface TraceResult {
  copies: TracedCopy[];
  /** Stored versions the file is byte-identical to (an unmarked copy, or the original). */
  versions: { documentId: string; clientId: string; version: number }[];
}

export async function traceLeak(services: Services, ctx: RequestContext, file: Buffer): Promise<TraceResult> {
  const fingerprints = await readFingerprints(file);
  const mac = services.vault.mac(CONTENT_MAC_PURPOSE, file);
  return runAudited(services, ctx, async (w) => {
    const event = { action: "document.trace", targetType: "document", targetId: null };
    const decision = authorizeDocumentTrace(ctx.actor);
    if (decision.effect === "deny") return w.deny(decision, event);
    const copies: TracedCopy[] = [];
    const clientOf = new Map<string, string>();
    const client = async (documentId: string) => {
      if (!clientOf.has(documentId)) clientOf.set(documentId, (await findDocument(w.tx, documentId))?.client_id ?? "");
      return clientOf.get(documentId)!;
    };
    const add = async (copy: DbDocumentCopy, evidence: TracedCopy["evidence"]) => {
      if (copies.some((c) => c.copyId === copy.id)) return;
      const handedOut = copy.request_id
        ? await w.tx
            .selectFrom("audit_events")
            .select("id")
            .where("request_id", "=", copy.request_id)
            .where("outcome", "=", "success")
            .where("action", "in", ["document.download", "document.share", "document.share_download"])
            .orderBy("seq")
            .executeTakeFirst()
        : undefined;
      copies.push({
        copyId: copy.id,
        documentId: copy.document_id,
        clientId: await client(copy.document_id),
        version: copy.version,
        kind: copy.kind,
        userId: copy.user_id,
        shareId: copy.share_id,
        createdAt: copy.created_at,
        requestId: copy.request_id,
        evidence,
        auditEventId: handedOut?.id ?? null,
      });
    };
    for (const f of fingerprints) {
      const copy = await findCopyByFingerprint(w.tx, f.copyId.toString("hex"));
      if (copy) await add(copy, f.layer);
    }
    const versions = [];
    for (const v of await findVersionsByMac(w.tx, mac)) {
      versions.push({ documentId: v.document_id, clientId: await client(v.document_id), version: v.version });
      // An unmarked copy is byte-identical to its version: every unmarked copy of it is a candidate.
      for (const copy of await listCopies(w.tx, v.document_id)) if (copy.version === v.version && !copy.watermarked) await add(copy, "exact_content");
    }
    w.record({
      ...event,
      targetId: copies[0]?.documentId ?? versions[0]?.documentId ?? null,
      outcome: "success",
      reason: "permitted",
      details: { copies: copies.length, versions: versions.length, evidence: [...new Set(copies.map((c) => c.evidence))] },
    });
    return { copies, versions };
  });
}
