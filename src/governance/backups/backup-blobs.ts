/**
 * Document files in backups (BCK-1, issue #11). The SQLite snapshot already holds the database
 * store's blobs (`blob_chunks`); the data directory's blobs are copied beside it, to
 * `<backup>.blobs/<blob key>`, for every live document version the snapshot names, with a manifest
 * of their sizes. Copying after the snapshot is consistent: a version's row commits only after its
 * blob is stored, and blobs are never replaced. A blob deleted in between (its client erased since
 * the snapshot) is listed as such: the erasure ledger destroys that document again on restore.
 * Only ciphertext is copied; the file keys are in the snapshot, wrapped as everything else is.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import SQLite from "better-sqlite3";
import { blobKeySegments, BlobNotFoundError } from "../../platform/blobs/blob-store.js";
import type { Services } from "../../platform/services.js";

export const backupBlobDir = (file: string) => `${file}.blobs`;
const MANIFEST = "manifest.json";

interface Manifest {
  format: "custodia.backup-blobs/1";
  blobs: { key: string; bytes: number }[];
  /** Named by the snapshot but deleted before they could be copied: their documents were destroyed since. */
  destroyedSince: string[];
}

/** The blob keys of live document versions in a SQLite file whose blob is not in that file itself. */
function externalBlobKeys(file: string): string[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const has = (table: string) => db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
    if (!has("document_versions")) return [];
    const inFile = has("blob_chunks") ? "and not exists (select 1 from blob_chunks c where c.blob_key = v.blob_key and c.chunk_index = 0)" : "";
    const rows = db
      .prepare(
        `select v.blob_key as key from document_versions v join documents d on d.id = v.document_id where d.destroyed_at is null ${inFile} order by v.blob_key`,
      )
      .all() as { key: string }[];
    return rows.map((r) => r.key);
  } finally {
    db.close();
  }
}

/** Where a blob sits in a backup's directory; the key's grammar leaves no way out of it. */
const pathIn = (dir: string, key: string) => join(dir, ...blobKeySegments(key));

export interface BackupFiles {
  blobs: number;
  bytes: number;
  destroyedSince: number;
}

/** Copies the data directory's blobs that `snapshot` names into `<snapshot>.blobs/`. */
export async function copyBlobsToBackup(services: Services, snapshot: string): Promise<BackupFiles> {
  const dir = backupBlobDir(snapshot);
  const manifest: Manifest = { format: "custodia.backup-blobs/1", blobs: [], destroyedSince: [] };
  mkdirSync(dir, { mode: 0o700 });
  let bytes = 0;
  for (const key of externalBlobKeys(snapshot)) {
    const target = pathIn(dir, key);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    try {
      await pipeline(services.blobs.get(key), createWriteStream(target, { flags: "wx", mode: 0o600 }));
    } catch (error) {
      rmSync(target, { force: true });
      if (error instanceof BlobNotFoundError && (await destroyedNow(services, key))) {
        manifest.destroyedSince.push(key);
        continue;
      }
      throw error;
    }
    const size = statSync(target).size;
    manifest.blobs.push({ key, bytes: size });
    bytes += size;
  }
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest), { mode: 0o600, flag: "wx" });
  return { blobs: manifest.blobs.length, bytes, destroyedSince: manifest.destroyedSince.length };
}

async function destroyedNow(services: Services, key: string): Promise<boolean> {
  const row = await services.engine.db
    .selectFrom("document_versions as v")
    .innerJoin("documents as d", "d.id", "v.document_id")
    .select("d.destroyed_at")
    .where("v.blob_key", "=", key)
    .executeTakeFirst();
  return row?.destroyed_at != null;
}

export interface BackupFilesCheck {
  /** Live versions whose blob is outside the snapshot. */
  expected: number;
  /** Present in the backup's directory with the size its manifest gives. */
  present: number;
  destroyedSince: number;
  /** Neither present nor accounted for: the backup cannot give these documents back. */
  missing: number;
}

/** Checks that every blob `snapshot` needs is in the backup's directory `dir`, whole (by size). */
export function checkBackupBlobs(snapshot: string, dir: string): BackupFilesCheck {
  const keys = externalBlobKeys(snapshot);
  const out: BackupFilesCheck = { expected: keys.length, present: 0, destroyedSince: 0, missing: 0 };
  if (!keys.length) return out;
  let manifest: Manifest | null = null;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
  } catch {
    manifest = null;
  }
  const sizes = new Map((manifest?.blobs ?? []).map((b) => [b.key, b.bytes]));
  const destroyed = new Set(manifest?.destroyedSince ?? []);
  for (const key of keys) {
    const path = pathIn(dir, key);
    const size = existsSync(path) ? statSync(path).size : null;
    if (size !== null && sizes.get(key) === size) out.present++;
    else if (size === null && destroyed.has(key)) out.destroyedSince++;
    else out.missing++;
  }
  return out;
}

export interface RestoredFiles {
  /** Copied from the backup into the blob store. */
  restored: number;
  /** Already in the store (blobs are immutable: the same key holds the same bytes). */
  kept: number;
  /** Live versions whose blob is in neither. */
  missing: number;
}

/**
 * Puts back the blobs of the restored database's live versions that the store lacks, from the
 * backup's directory. Run after the erasure ledger: documents of clients erased since the backup
 * are destroyed by then, so their files are never brought back.
 */
export async function restoreBlobsFromBackup(services: Services, file: string): Promise<RestoredFiles> {
  const dir = backupBlobDir(file);
  const out: RestoredFiles = { restored: 0, kept: 0, missing: 0 };
  const rows = await services.engine.db
    .selectFrom("document_versions as v")
    .innerJoin("documents as d", "d.id", "v.document_id")
    .select("v.blob_key")
    .where("d.destroyed_at", "is", null)
    .orderBy("v.blob_key")
    .execute();
  for (const { blob_key: key } of rows) {
    if (await services.blobs.exists(key)) {
      out.kept++;
      continue;
    }
    const source = pathIn(dir, key);
    if (!existsSync(source)) {
      out.missing++;
      continue;
    }
    await services.blobs.put(key, createReadStream(source));
    out.restored++;
  }
  return out;
}
