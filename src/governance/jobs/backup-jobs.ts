/**
 * The backup jobs (BCK-1): a daily online backup into the backup directory (the last N kept), its
 * verification right after, and a monthly restore drill that restores the latest backup into a
 * scratch directory exactly as a real restore would (erasure ledger re-applied, document files put
 * back), checks it and removes it. PostgreSQL has no in-process backup (pg_dump is the path): the
 * backup job brings the erasure ledger up to date and records `skipped`, and so do the others.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import type { Config } from "../../platform/config.js";
import { createSqliteEngine } from "../../platform/db/dialects/sqlite.js";
import { backupBlobDir } from "../backups/backup-blobs.js";
import { createBackup, restoreBackup, verifyBackup } from "../backups/backup.js";
import { ledgerPath, syncErasureLedger } from "../backups/erasure-ledger.js";
import { JOB_OPERATOR, type JobContext, type JobResult, jobRequestId } from "./job.js";

export const POSTGRES_BACKUP_EXTERNAL = "postgres_backup_external";
const BACKUP_FILE = /^custodia-\d{8}T\d{6}Z(-\d+)?\.db$/;

/** `2026-03-02T02:30:00.000Z` → `custodia-20260302T023000Z.db`: names sort by time. */
export const backupFileName = (at: Date) =>
  `custodia-${at
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replaceAll(/[-:]/g, "")}.db`;

/** The backups this job wrote, oldest first; other files in the directory are never touched. */
export function listBackups(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => BACKUP_FILE.test(f))
    .sort()
    .map((f) => join(dir, f));
}

const noInProcessBackup = (ctx: JobContext) => !ctx.services.engine.backupTo;
const skippedOnPostgres = (): JobResult => ({
  outcome: "skipped",
  code: POSTGRES_BACKUP_EXTERNAL,
  summary: "PostgreSQL: take backups with pg_dump; nothing to check in-process",
});

function freshPath(dir: string, at: Date): string {
  const base = backupFileName(at);
  let out = join(dir, base);
  for (let n = 2; existsSync(out) || existsSync(backupBlobDir(out)); n++) out = join(dir, base.replace(/\.db$/, `-${n}.db`));
  return out;
}

export async function runBackup(ctx: JobContext, now: Date): Promise<JobResult> {
  const { services, config, settings } = ctx;
  if (noInProcessBackup(ctx)) {
    // The half Custodia owns: the ledger that keeps erased clients erased after a pg_restore.
    const added = await syncErasureLedger(services, ledgerPath(config.dataDir));
    return {
      outcome: "skipped",
      code: POSTGRES_BACKUP_EXTERNAL,
      summary: `PostgreSQL: take backups with pg_dump; erasure ledger brought up to date (${added} added)`,
    };
  }
  mkdirSync(settings.backupDir, { recursive: true, mode: 0o700 });
  const out = freshPath(settings.backupDir, now);
  const report = await createBackup(services, { actor: JOB_OPERATOR, requestId: jobRequestId("backup", now), purpose: null }, config, out);
  const pruned = pruneBackups(settings.backupDir, settings.backupKeep);
  return {
    outcome: "ok",
    summary: `${basename(out)}: ${report.clients} clients (${report.erasedClients} erased), ${report.files.blobs} document files, ${report.bytes} bytes; ${pruned} old backups removed`,
    artifact: out,
  };
}

/** Keeps the newest `keep` backups (each with its document-file directory). */
export function pruneBackups(dir: string, keep: number): number {
  const all = listBackups(dir);
  const old = all.slice(0, Math.max(0, all.length - keep));
  for (const file of old) {
    rmSync(file, { force: true });
    rmSync(backupBlobDir(file), { recursive: true, force: true });
  }
  return old.length;
}

export async function runBackupVerify(ctx: JobContext, _now: Date, previous?: JobResult): Promise<JobResult> {
  if (noInProcessBackup(ctx)) return skippedOnPostgres();
  if (previous && previous.outcome !== "ok") return { outcome: "skipped", code: "backup_not_taken", summary: "the backup of this occurrence was not taken" };
  const file = previous?.artifact ?? listBackups(ctx.settings.backupDir).at(-1);
  if (!file) return { outcome: "skipped", code: "no_backup", summary: "no backup to verify" };
  const r = await verifyBackup(ctx.services.vault, file);
  const facts = `integrity ${r.integrity === "ok" ? "ok" : "FAILED"}, audit chain ${r.chain.ok ? `intact (${r.chain.events} events)` : "BROKEN"}, ${r.clients} clients, document files ${r.files.present}/${r.files.expected}`;
  return r.ok
    ? { outcome: "ok", summary: `${basename(file)}: ${facts}`, artifact: file }
    : { outcome: "failed", code: "backup_verify_failed", summary: `${basename(file)}: ${facts}` };
}

/** A configuration for the scratch directory: SQLite, file blob store, the live master key. */
const scratchConfig = (live: Config, dir: string): Config =>
  Object.freeze({ dataDir: dir, databaseUrl: null, databaseSchema: null, masterKeyFile: live.masterKeyFile, blobStore: "file" });

export async function runRestoreDrill(ctx: JobContext, now: Date): Promise<JobResult> {
  if (noInProcessBackup(ctx)) return skippedOnPostgres();
  const file = listBackups(ctx.settings.backupDir).at(-1);
  if (!file) return { outcome: "skipped", code: "no_backup", summary: "no backup to restore" };
  // Beside the backups (mode 0700), not in /tmp: the restored copy is as sensitive as the backup.
  const scratch = mkdtempSync(join(ctx.settings.backupDir, ".restore-drill-"));
  try {
    // The live ledger goes with it, so the drill re-shreds what a real restore would.
    const ledger = ledgerPath(ctx.config.dataDir);
    if (existsSync(ledger)) copyFileSync(ledger, ledgerPath(scratch));
    const report = await restoreBackup(
      scratchConfig(ctx.config, scratch),
      { actor: JOB_OPERATOR, requestId: jobRequestId("restore-drill", now), purpose: null },
      file,
      { keyProvider: ctx.keyProvider },
    );
    // Opened again on its own, as an operator would after a restore: the clients are all there.
    const engine = createSqliteEngine({ file: join(scratch, "custodia.db") });
    let clients: number;
    try {
      clients = Number(
        (
          await engine.db
            .selectFrom("clients")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    } finally {
      await engine.destroy();
    }
    const ok = report.chain.ok && clients === report.verify.clients;
    const summary = `${basename(file)} restored: ${clients} clients, ${report.reshredded.length} re-shredded, ${report.files.restored} document files, audit chain ${report.chain.ok ? `intact (${report.chain.events} events)` : "BROKEN"}`;
    return ok ? { outcome: "ok", summary } : { outcome: "failed", code: "restore_drill_check_failed", summary };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
