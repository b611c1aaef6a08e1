/**
 * Readiness: may this server take traffic? The database answers, the vault holds the active
 * key-encryption key (unwrapped through the key provider), and the audit log is being signed.
 * Each check answers with a code, never an error's message (a driver's text may quote a value).
 */
import type { Services } from "../services.js";
import { auditFreshness, CHECKPOINT_STALE_AFTER_MS } from "./audit-freshness.js";

export type CheckResult = { readonly status: "ok" } | { readonly status: "failed"; readonly code: string } | { readonly status: "skipped" };

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: { readonly database: CheckResult; readonly keyProvider: CheckResult; readonly auditWriter: CheckResult };
}

export interface ReadinessOptions {
  readonly now?: () => Date;
  /** A check slower than this fails: a probe must answer even when the database hangs. */
  readonly timeoutMs?: number;
  readonly checkpointStaleAfterMs?: number;
}

class CheckTimeout extends Error {}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeout()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const failed = (code: string): CheckResult => ({ status: "failed", code });
const OK: CheckResult = { status: "ok" };
const SKIPPED: CheckResult = { status: "skipped" };

export async function checkReadiness(services: Pick<Services, "engine" | "keyRing">, options: ReadinessOptions = {}): Promise<ReadinessReport> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const now = (options.now ?? (() => new Date()))();
  const db = services.engine.db;

  const database = await within(timeoutMs, db.selectFrom("key_versions").select("version").limit(1).execute()).then(
    () => OK,
    (e) => failed(e instanceof CheckTimeout ? "database_timeout" : "database_unreachable"),
  );
  if (database.status !== "ok") return { ready: false, checks: { database, keyProvider: SKIPPED, auditWriter: SKIPPED } };

  const [keyProvider, auditWriter] = await Promise.all([
    // Loads the active KEK through the key provider if this server has not yet (after a rotation elsewhere).
    within(
      timeoutMs,
      db.transaction().execute((tx) => services.keyRing.activeKekVersion(tx)),
    ).then(
      () => OK,
      (e) => failed(e instanceof CheckTimeout ? "key_provider_timeout" : "key_unavailable"),
    ),
    within(timeoutMs, auditFreshness(db, now, options.checkpointStaleAfterMs ?? CHECKPOINT_STALE_AFTER_MS)).then(
      (f) => (f.ok ? OK : failed(f.code)),
      (e) => failed(e instanceof CheckTimeout ? "audit_timeout" : "audit_unreadable"),
    ),
  ]);
  return { ready: keyProvider.status === "ok" && auditWriter.status === "ok", checks: { database, keyProvider, auditWriter } };
}
