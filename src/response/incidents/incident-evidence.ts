/**
 * Incident evidence (INC-3, chain of custody): files the response team collects (screenshots,
 * exported logs, a letter from the regulator). Each file is sealed by the vault under a data key of
 * its own, bound to the incident and the evidence id; the filename is sealed too, since it may name
 * a person. The SHA-256 of the plaintext is kept in clear and checked again on every download, so a
 * file that comes out is the file that went in.
 *
 * Who: compliance (incident.manage) or a member of the incident's response team. Every upload,
 * list, read and refusal is audited with ids, size, type and digest; never the name or the bytes.
 */
import { constantTimeEqual, sha256Hex } from "../../platform/crypto/secrets.js";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorizeIncidentEvidence } from "../../access/policy/policy.js";
import { runAudited, type AuditedWork, type Refusal } from "../../platform/audit/audited.js";
import type { DbIncidentEvidence } from "./evidence-tables.js";
import { IntegrityError, NotFoundError, ValidationError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { BlobBinding } from "../../vault/vault.js";

/** 5 MiB of file (decoded); the upload route's body limit leaves room for base64 and JSON. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

const TABLE = "incident_evidence";
/** The owner a file's data key is wrapped for (key rotation re-wraps it under the same owner). */
export const evidenceKeyOwner = (evidenceId: string) => `${TABLE}:${evidenceId}`;
const ownerOf = evidenceKeyOwner;
const bindingOf = (incidentId: string, evidenceId: string, part: "content" | "filename"): BlobBinding => ({
  table: TABLE,
  parentId: incidentId,
  recordId: evidenceId,
  part,
});

export interface EvidenceItem {
  id: string;
  incidentId: string;
  filename: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface EvidenceContent {
  filename: string;
  mediaType: string;
  sha256: string;
  content: Buffer;
}

type Event = { action: string; targetType: string; targetId: string | null };

/** The policy decision needs one fact from the store: is the actor on this incident's team? */
async function guard(w: AuditedWork, ctx: RequestContext, incidentId: string, event: Event): Promise<Refusal | null> {
  const member = await w.tx
    .selectFrom("incident_members")
    .select("user_id")
    .where("incident_id", "=", incidentId)
    .where("user_id", "=", ctx.actor.userId)
    .executeTakeFirst();
  const decision = authorizeIncidentEvidence(ctx.actor, member !== undefined);
  if (decision.effect === "deny") return w.deny(decision, event);
  const incident = await w.tx.selectFrom("incidents").select("id").where("id", "=", incidentId).executeTakeFirst();
  return incident ? null : w.refuse(NotFoundError("Incident"), event, "failure");
}

async function openKey(services: Services, w: AuditedWork, row: Pick<DbIncidentEvidence, "id" | "dek_version" | "kek_version" | "wrapped_key">) {
  await services.keyRing.ensureKek(w.tx, row.kek_version);
  return services.vault.openDataKey({ ownerId: ownerOf(row.id), dekVersion: row.dek_version, kekVersion: row.kek_version, wrapped: row.wrapped_key });
}

export async function uploadEvidence(
  services: Services,
  ctx: RequestContext,
  incidentId: string,
  file: { filename: string; mediaType: string; content: Buffer },
): Promise<EvidenceItem> {
  const id = uuidv7();
  return runAudited(services, ctx, async (w) => {
    const event = { action: "evidence.upload", targetType: "incident", targetId: incidentId };
    const refused = await guard(w, ctx, incidentId, event);
    if (refused) return refused;
    if (file.content.length > EVIDENCE_MAX_BYTES) {
      return w.refuse(
        ValidationError([{ field: "content", code: "file_too_large", message: "The file is larger than 5 MiB." }]),
        { ...event, details: { sizeBytes: file.content.length } },
        "failure",
      );
    }
    const kekVersion = await services.keyRing.activeKekVersion(w.tx);
    const { dataKey, wrapped } = services.vault.newDataKey(ownerOf(id), kekVersion);
    const digest = sha256Hex(file.content);
    const now = new Date().toISOString();
    const mediaType = file.mediaType.toLowerCase();
    await w.tx
      .insertInto("incident_evidence")
      .values({
        id,
        incident_id: incidentId,
        dek_version: wrapped.dekVersion,
        kek_version: wrapped.kekVersion,
        wrapped_key: wrapped.wrapped,
        content_ct: services.vault.sealBytes(dataKey, bindingOf(incidentId, id, "content"), file.content),
        filename_ct: services.vault.sealBytes(dataKey, bindingOf(incidentId, id, "filename"), Buffer.from(file.filename, "utf8")),
        media_type: mediaType,
        size_bytes: file.content.length,
        sha256: digest,
        uploaded_by: ctx.actor.userId,
        uploaded_at: now,
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { evidenceId: id, sizeBytes: file.content.length, mediaType, sha256: digest } });
    return {
      id,
      incidentId,
      filename: file.filename,
      mediaType,
      sizeBytes: file.content.length,
      sha256: digest,
      uploadedBy: ctx.actor.userId,
      uploadedAt: now,
    };
  });
}

/** Metadata only (the filename is opened; the content is not). */
export async function listEvidence(services: Services, ctx: RequestContext, incidentId: string): Promise<EvidenceItem[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "evidence.list", targetType: "incident", targetId: incidentId };
    const refused = await guard(w, ctx, incidentId, event);
    if (refused) return refused;
    const rows = await w.tx
      .selectFrom("incident_evidence")
      .select([
        "id",
        "incident_id",
        "dek_version",
        "kek_version",
        "wrapped_key",
        "filename_ct",
        "media_type",
        "size_bytes",
        "sha256",
        "uploaded_by",
        "uploaded_at",
      ])
      .where("incident_id", "=", incidentId)
      .orderBy("uploaded_at")
      .orderBy("id")
      .execute();
    const items: EvidenceItem[] = [];
    for (const row of rows) {
      let filename: string;
      try {
        filename = services.vault.openBytes(await openKey(services, w, row), bindingOf(incidentId, row.id, "filename"), row.filename_ct).toString("utf8");
      } catch (error) {
        if ((error as Error).name !== "DecryptionError") throw error;
        return w.refuse(IntegrityError(), { ...event, details: { evidenceId: row.id } }, "failure");
      }
      items.push({
        id: row.id,
        incidentId,
        filename,
        mediaType: row.media_type,
        sizeBytes: Number(row.size_bytes),
        sha256: row.sha256,
        uploadedBy: row.uploaded_by,
        uploadedAt: row.uploaded_at,
      });
    }
    w.record({ ...event, outcome: "success", details: { count: items.length } });
    return items;
  });
}

/**
 * Decrypts one file. A ciphertext that fails authentication (tampered, or moved from another
 * evidence row or incident) or whose digest differs from the recorded one is audited as a failed
 * read and answered with a bare integrity error.
 */
export async function readEvidenceContent(services: Services, ctx: RequestContext, incidentId: string, evidenceId: string): Promise<EvidenceContent> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "evidence.read", targetType: "incident", targetId: incidentId };
    const refused = await guard(w, ctx, incidentId, event);
    if (refused) return refused;
    const row = await w.tx.selectFrom("incident_evidence").selectAll().where("id", "=", evidenceId).where("incident_id", "=", incidentId).executeTakeFirst();
    if (!row) return w.refuse(NotFoundError("Evidence"), { ...event, details: { evidenceId } }, "failure");
    let opened: EvidenceContent;
    try {
      const key = await openKey(services, w, row);
      const content = services.vault.openBytes(key, bindingOf(incidentId, row.id, "content"), row.content_ct);
      const filename = services.vault.openBytes(key, bindingOf(incidentId, row.id, "filename"), row.filename_ct).toString("utf8");
      opened = { filename, mediaType: row.media_type, sha256: row.sha256, content };
    } catch (error) {
      if ((error as Error).name !== "DecryptionError") throw error;
      return w.refuse(IntegrityError(), { ...event, details: { evidenceId } }, "failure");
    }
    // Chain of custody: the bytes going out hash to what was recorded when they came in.
    // Constant-time comparison out of habit; the digest is not a secret.
    if (!constantTimeEqual(sha256Hex(opened.content), row.sha256)) {
      return w.refuse(IntegrityError(), { ...event, details: { evidenceId, reason: "digest_mismatch" } }, "failure");
    }
    w.record({ ...event, outcome: "success", details: { evidenceId, sizeBytes: opened.content.length, sha256: row.sha256 } });
    return opened;
  });
}
