import { AppError } from "../../platform/errors.js";
import { ConfigError } from "../../platform/config.js";
import { BackupError } from "../backups/backup.js";
import { LedgerTamperedError } from "../backups/erasure-ledger.js";

/**
 * The code a failed run records: a stable name, never the error's message (a message may carry a
 * path, an address or data). System errors keep their errno code (ENOSPC, EACCES).
 */
export function errorCode(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof LedgerTamperedError) return "erasure_ledger_tampered";
  if (error instanceof BackupError) return "backup_error";
  if (error instanceof ConfigError) return "config_error";
  const errno = (error as NodeJS.ErrnoException | null)?.code;
  if (typeof errno === "string" && /^E[A-Z0-9]{1,20}$/.test(errno)) return errno;
  return "internal_error";
}
