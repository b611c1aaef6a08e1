/**
 * Taking ciphertext out of the blob store once nothing may read it (issue #11). A blob store is not
 * part of a database transaction, so a destruction commits first and the blobs go after:
 *
 * - `purgeDestroyedBlobs` deletes the blobs of destroyed documents' versions and notes each in
 *   `document_versions.blob_purged_at`. Every destroying path calls it right after its commit
 *   (`purgeAfterCommit`); it is idempotent, so a crash in between only delays it to the next run.
 * - `sweepDocumentBlobs` also removes blobs under `documents/` that no live version names: left by
 *   an upload that crashed between storing the file and recording it, or brought back with files
 *   of a newer database than the one restored. A blob with no row at all may belong to an upload
 *   still being scanned, so it goes only once older than a cut-off; the file store knows each
 *   blob's age, the database store does not, so there such blobs are only counted (`unclaimed`).
 *
 * Until its blob is gone a destroyed document is unreadable all the same: its file key was wrapped
 * by the client's data key, which the destruction shredded.
 */
import { opendir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { blobKeySegments } from "../../platform/blobs/blob-store.js";
import { FileBlobStore } from "../../platform/blobs/file-blob-store.js";
import { PostgresBlobStore } from "../../platform/blobs/postgres-blob-store.js";
import type { Services } from "../../platform/services.js";

const PAGE = 500;
const PREFIX = "documents/";
/** Keys sort between "documents/" and this ("/" + 1 is "0"): a range the primary key serves. */
const PREFIX_END = "documents0";

export interface BlobPurge {
  purged: number;
  failed: number;
}

/** Deletes the blobs of destroyed documents not purged yet; one blob failing never stops the rest. */
export async function purgeDestroyedBlobs(services: Services, now: Date = new Date()): Promise<BlobPurge> {
  const db = services.engine.db;
  const out: BlobPurge = { purged: 0, failed: 0 };
  let after: { documentId: string; version: number } | null = null;
  for (;;) {
    let query = db
      .selectFrom("document_versions as v")
      .innerJoin("documents as d", "d.id", "v.document_id")
      .select(["v.document_id", "v.version", "v.blob_key"])
      .where("d.destroyed_at", "is not", null)
      .where("v.blob_purged_at", "is", null);
    // Keyset paging, so a blob that keeps failing is passed over rather than fetched again.
    const from = after;
    if (from)
      query = query.where((eb) =>
        eb.or([eb("v.document_id", ">", from.documentId), eb.and([eb("v.document_id", "=", from.documentId), eb("v.version", ">", from.version)])]),
      );
    const rows = await query.orderBy("v.document_id").orderBy("v.version").limit(PAGE).execute();
    for (const row of rows) {
      try {
        await services.blobs.delete(row.blob_key);
        await db
          .updateTable("document_versions")
          .set({ blob_purged_at: now.toISOString() })
          .where("document_id", "=", row.document_id)
          .where("version", "=", row.version)
          .execute();
        out.purged++;
      } catch {
        out.failed++;
      }
    }
    if (rows.length < PAGE) return out;
    const last = rows[rows.length - 1]!;
    after = { documentId: last.document_id, version: last.version };
  }
}

/**
 * Called by every destroying command after its transaction committed. Never fails the command: the
 * destruction stands, the files are unreadable already, and `custodia files sweep` retries.
 */
export const purgeAfterCommit = (services: Services): Promise<BlobPurge> => purgeDestroyedBlobs(services).catch(() => ({ purged: 0, failed: 1 }));

interface StoredBlob {
  key: string;
  /** Null where the store keeps no time (database rows). */
  modifiedAt: Date | null;
}

/** Blobs under `documents/` in the data directory's store (<data dir>/blobs/documents/<id>/<file>). */
async function* fileStoreBlobs(dataDir: string): AsyncGenerator<StoredBlob> {
  const root = join(dataDir, "blobs", "documents");
  let documents;
  try {
    documents = await opendir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  for await (const dir of documents) {
    if (!dir.isDirectory()) continue;
    for await (const file of await opendir(join(root, dir.name))) {
      if (!file.isFile()) continue;
      const key = `${PREFIX}${dir.name}/${file.name}`;
      if (!isBlobKey(key)) continue;
      const info = await stat(join(root, dir.name, file.name)).catch(() => null);
      if (info) yield { key, modifiedAt: info.mtime };
    }
  }
}

/** Blobs under `documents/` in the database store: chunk 0 names each one. */
async function* databaseStoreBlobs(services: Services): AsyncGenerator<StoredBlob> {
  let after = PREFIX;
  for (;;) {
    const rows = await services.engine.db
      .selectFrom("blob_chunks")
      .select("blob_key")
      .where("chunk_index", "=", 0)
      .where("blob_key", ">", after)
      .where("blob_key", "<", PREFIX_END)
      .orderBy("blob_key")
      .limit(PAGE)
      .execute();
    for (const r of rows) yield { key: r.blob_key, modifiedAt: null };
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1]!.blob_key;
  }
}

function isBlobKey(key: string): boolean {
  try {
    blobKeySegments(key);
    return true;
  } catch {
    return false;
  }
}

export interface BlobSweep extends BlobPurge {
  /** Blobs no live version names, deleted. */
  orphans: number;
  /** Blobs no row names, too recent (or of unknown age) to delete. */
  unclaimed: number;
  /** Unfinished uploads of the database store removed. */
  abandoned: number;
}

/** What to do with one page of stored blobs: which of them no live version names, and why. */
async function judge(services: Services, page: StoredBlob[], olderThan: Date): Promise<{ remove: string[]; unclaimed: number }> {
  const db = services.engine.db;
  const keys = page.map((b) => b.key);
  const named = await db
    .selectFrom("document_versions as v")
    .innerJoin("documents as d", "d.id", "v.document_id")
    .select(["v.blob_key", "d.destroyed_at"])
    .where("v.blob_key", "in", keys)
    .execute();
  const live = new Set(named.filter((n) => n.destroyed_at === null).map((n) => n.blob_key));
  const dead = new Set(named.filter((n) => n.destroyed_at !== null).map((n) => n.blob_key));
  const documentIds = [...new Set(page.filter((b) => !live.has(b.key) && !dead.has(b.key)).map((b) => b.key.split("/")[1]!))];
  const destroyedDocuments = new Set(
    documentIds.length
      ? (await db.selectFrom("documents").select("id").where("id", "in", documentIds).where("destroyed_at", "is not", null).execute()).map((d) => d.id)
      : [],
  );
  const remove: string[] = [];
  let unclaimed = 0;
  for (const blob of page) {
    if (live.has(blob.key)) continue;
    // A destroyed document's blob goes whatever its age: no upload to it can succeed any more.
    if (dead.has(blob.key) || destroyedDocuments.has(blob.key.split("/")[1]!)) remove.push(blob.key);
    else if (blob.modifiedAt !== null && blob.modifiedAt < olderThan) remove.push(blob.key);
    else unclaimed++;
  }
  return { remove, unclaimed };
}

/**
 * Purges destroyed documents' blobs, then deletes blobs no live version names (those no row names
 * only when older than `olderThan`), and the database store's uploads abandoned before it.
 */
export async function sweepDocumentBlobs(services: Services, options: { dataDir: string; olderThan: Date }): Promise<BlobSweep> {
  const purge = await purgeDestroyedBlobs(services);
  const out: BlobSweep = { ...purge, orphans: 0, unclaimed: 0, abandoned: 0 };
  const store = services.blobs;
  const blobs = store instanceof FileBlobStore ? fileStoreBlobs(options.dataDir) : store instanceof PostgresBlobStore ? databaseStoreBlobs(services) : null;
  if (blobs) {
    let page: StoredBlob[] = [];
    const settle = async () => {
      const { remove, unclaimed } = await judge(services, page, options.olderThan);
      out.unclaimed += unclaimed;
      for (const key of remove) {
        try {
          if (await store.delete(key)) out.orphans++;
        } catch {
          out.failed++;
        }
      }
      page = [];
    };
    for await (const blob of blobs) {
      page.push(blob);
      if (page.length === PAGE) await settle();
    }
    if (page.length) await settle();
  }
  if (store instanceof PostgresBlobStore) out.abandoned = await store.sweepAbandonedUploads(options.olderThan);
  return out;
}

/** `custodia files sweep`: the sweep, audited as `document.blob_sweep` with its counts. */
export async function runBlobSweep(services: Services, ctx: RequestContext, options: { dataDir: string; olderThan: Date }): Promise<BlobSweep> {
  const result = await sweepDocumentBlobs(services, options);
  await runAudited(services, ctx, async (w) => {
    w.record({
      action: "document.blob_sweep",
      targetType: null,
      targetId: null,
      outcome: result.failed ? "failure" : "success",
      purpose: null,
      details: { ...result, olderThan: options.olderThan.toISOString() },
    });
  });
  return result;
}
