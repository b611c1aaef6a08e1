/**
 * Backups (BCK-1) on SQLite: an online, consistent snapshot through the engine's backup capability;
 * verification in a scratch copy (integrity check, audit chain, counts); restore that re-applies the
 * erasure ledger so a client erased after the backup stays erased, its documents' files included
 * (backup-blobs.ts). PostgreSQL has no in-process backup here: use pg_dump / pg_restore, and keep
 * the erasure ledger with the key material.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { onEveryCore, verifyAuditChain, type VerifyReport } from "../../platform/audit/audit-verifier.js";
import type { Config } from "../../platform/config.js";
import { createSqliteEngine } from "../../platform/db/dialects/sqlite.js";
import { openServices, type Services } from "../../platform/services.js";
import type { KeyProvider } from "../../vault/key-provider.js";
import { openVaultForBackup } from "../../vault/keys/vault-root.js";
import { keyProviderFor } from "../../vault/providers/index.js";
import type { Vault } from "../../vault/vault.js";
import { sweepDocumentBlobs } from "../../records/documents/document-blob-sweeper.js";
import {
  type BackupFiles,
  type BackupFilesCheck,
  backupBlobDir,
  checkBackupBlobs,
  copyBlobsToBackup,
  restoreBlobsFromBackup,
  type RestoredFiles,
} from "./backup-blobs.js";
import { applyErasureLedger, ledgerPath, readLedger, syncErasureLedger } from "./erasure-ledger.js";

export const POSTGRES_BACKUP_HINT =
  "Backups are not supported in-process on PostgreSQL: use pg_dump (and pg_restore), and keep <data dir>/erasure-ledger.jsonl with the master key.";

export class BackupError extends Error {}

/** Where SQLite keeps the live database (as src/platform/db/open.ts opens it). */
export const sqliteFile = (config: Config) => join(config.dataDir, "custodia.db");

const ms = (start: bigint) => Math.round(Number(process.hrtime.bigint() - start) / 1e6);

export interface BackupReport {
  file: string;
  bytes: number;
  clients: number;
  erasedClients: number;
  ledgerEntriesAdded: number;
  /** Document files copied to `<out>.blobs/` (the data directory's store; the database store's are in the snapshot). */
  files: BackupFiles;
  milliseconds: number;
}

/** Writes an online snapshot to `out` (never overwriting) and brings the erasure ledger up to date. */
export async function createBackup(services: Services, ctx: RequestContext, config: Config, out: string): Promise<BackupReport> {
  const backupTo = services.engine.backupTo;
  if (!backupTo) throw new BackupError(POSTGRES_BACKUP_HINT);
  if (existsSync(out) || existsSync(backupBlobDir(out))) throw new BackupError(`${out} exists; choose a new file.`);
  const start = process.hrtime.bigint();
  // Erasures already in the database are in the snapshot too (their keys are gone from it); the
  // ledger covers the ones that come after.
  const ledgerEntriesAdded = await syncErasureLedger(services, ledgerPath(config.dataDir));
  // Pending audit events are placed and signed first, so the snapshot's log is one a restore can verify.
  await services.auditSequencer.flush().catch(() => 0);
  await backupTo(out);
  // Counted in the snapshot itself: writes that landed after it are not in this backup.
  const snapshot = new SQLite(out, { readonly: true, fileMustExist: true });
  let counts: { all: number; erased: number | null };
  try {
    counts = snapshot.prepare("SELECT count(*) AS \"all\", sum(status = 'erased') AS erased FROM clients").get() as { all: number; erased: number | null };
  } finally {
    snapshot.close();
  }
  let files: BackupFiles;
  try {
    files = await copyBlobsToBackup(services, out);
  } catch (error) {
    // A backup without its files is no backup: neither half is left behind.
    rmSync(out, { force: true });
    rmSync(backupBlobDir(out), { recursive: true, force: true });
    throw error;
  }
  const report: BackupReport = {
    file: out,
    bytes: statSync(out).size,
    clients: Number(counts.all),
    erasedClients: Number(counts.erased ?? 0),
    ledgerEntriesAdded,
    files,
    milliseconds: ms(start),
  };
  await runAudited(services, ctx, async (w) => {
    w.record({
      action: "backup.create",
      targetType: null,
      targetId: null,
      outcome: "success",
      purpose: null,
      details: { bytes: report.bytes, clients: report.clients, erasedClients: report.erasedClients, files: files.blobs, fileBytes: files.bytes },
    });
  });
  return report;
}

export interface BackupVerifyReport {
  ok: boolean;
  integrity: string;
  chain: VerifyReport;
  clients: number;
  erasedClients: number;
  /** The document files the backup needs beside the snapshot, and whether they are there whole. */
  files: BackupFilesCheck;
  milliseconds: number;
}

/** Restores `file` into a scratch directory and checks it: SQLite integrity, the audit chain, counts, document files. */
export async function verifyBackup(vault: Vault, file: string): Promise<BackupVerifyReport> {
  if (!existsSync(file)) throw new BackupError(`${file} does not exist.`);
  const start = process.hrtime.bigint();
  const scratch = mkdtempSync(join(tmpdir(), "custodia-verify-"));
  const copy = join(scratch, "custodia.db");
  copyFileSync(file, copy);
  const engine = createSqliteEngine({ file: copy });
  try {
    const integrity = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(engine.db)).rows.map((r) => r.integrity_check).join("; ");
    const chain = await verifyAuditChain(engine.db, vault.checkpointPublicKey, undefined, [], onEveryCore({ kind: "sqlite", file: copy }));
    const counts = await engine.db
      .selectFrom("clients")
      .select((eb) => [eb.fn.countAll<number>().as("all"), eb.fn.sum<number>(eb.case().when("status", "=", "erased").then(1).else(0).end()).as("erased")])
      .executeTakeFirstOrThrow();
    // The snapshot's names, checked against the directory beside the original file.
    const files = checkBackupBlobs(copy, backupBlobDir(file));
    return {
      ok: integrity === "ok" && chain.ok && files.missing === 0,
      integrity,
      chain,
      clients: Number(counts.all),
      erasedClients: Number(counts.erased ?? 0),
      files,
      milliseconds: ms(start),
    };
  } finally {
    await engine.destroy();
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface RestoreReport {
  verify: BackupVerifyReport;
  /** Erasures recorded from the replaced database just before it was overwritten. */
  ledgerEntriesAdded: number;
  /** Clients erased after the backup was taken, shredded again in the restored database. */
  reshredded: string[];
  /** Document files put back from the backup, and those of documents destroyed since (purged) or never recorded (orphans) removed. */
  files: RestoredFiles & { purged: number; orphans: number };
  chain: VerifyReport;
}

/**
 * Restores a SQLite backup over the data directory's database. Refuses to overwrite an existing
 * database unless `force` (stop the server first). The backup is verified before anything is
 * touched; the erasure ledger is brought up to date from the database being replaced (if it still
 * opens), then re-applied to the restored one, whose audit chain is verified at the end.
 */
export async function restoreBackup(
  config: Config,
  ctx: RequestContext,
  file: string,
  options: { force?: boolean; keyProvider?: KeyProvider } = {},
): Promise<RestoreReport> {
  if (config.databaseUrl) throw new BackupError(POSTGRES_BACKUP_HINT);
  const keyProvider = options.keyProvider ?? keyProviderFor(config, { create: false });
  const vault = await openVaultForBackup(sqliteFile(config), file, keyProvider);
  const ledger = ledgerPath(config.dataDir);
  readLedger(vault, ledger); // a tampered ledger stops the restore before anything changes
  const verify = await verifyBackup(vault, file);
  if (!verify.ok)
    throw new BackupError(
      `The backup failed verification (integrity: ${verify.integrity}; audit chain ok: ${verify.chain.ok}; document files missing: ${verify.files.missing}); nothing was restored.`,
    );

  const target = sqliteFile(config);
  let ledgerEntriesAdded = 0;
  if (existsSync(target)) {
    if (!options.force) throw new BackupError(`A database exists at ${target}; stop the server and pass --force to overwrite it.`);
    let live: Services | null = null;
    try {
      live = await openServices(config, { keyProvider });
      ledgerEntriesAdded = await syncErasureLedger(live, ledger);
    } catch (error) {
      // A damaged database is a reason to restore: the ledger kept so far still applies.
      if (error instanceof BackupError) throw error;
    } finally {
      await live?.close();
    }
  }
  for (const suffix of ["", "-wal", "-shm"]) rmSync(target + suffix, { force: true });
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(target);
  } finally {
    source.close();
  }

  const restored = await openServices(config, { keyProvider });
  try {
    const reshredded = await applyErasureLedger(restored, ctx, ledger);
    // After the ledger: files of clients erased since the backup are never put back. The server is
    // stopped, so every blob no live version names is left over (newer uploads, erased clients').
    const put = await restoreBlobsFromBackup(restored, file);
    const swept = await sweepDocumentBlobs(restored, { dataDir: config.dataDir, olderThan: new Date() });
    const files = { ...put, purged: swept.purged, orphans: swept.orphans };
    const chain = await verifyAuditChain(restored.engine.db, restored.vault.checkpointPublicKey, undefined, [], onEveryCore(restored.engine.readOnlyTarget));
    await runAudited(restored, ctx, async (w) => {
      w.record({
        action: "backup.restore",
        targetType: null,
        targetId: null,
        outcome: chain.ok ? "success" : "failure",
        purpose: null,
        details: { clients: verify.clients, reshredded: reshredded.length, chainOk: chain.ok, filesRestored: files.restored, filesMissing: files.missing },
      });
    });
    return { verify, ledgerEntriesAdded, reshredded, files, chain };
  } finally {
    await restored.close();
  }
}
