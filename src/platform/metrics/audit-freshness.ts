/**
 * Whether the audit log is being signed: its head is readable and no event has waited longer than
 * a bound for a signed checkpoint. Read-only (nothing is appended to find out), so readiness
 * probes and `custodia doctor` may run it as often as they like.
 */
import type { Db } from "../db/engine.js";

/** The sequencer places and signs events within about a second; ten minutes mean it is stuck. */
export const CHECKPOINT_STALE_AFTER_MS = 10 * 60_000;

export type AuditFreshness =
  | { readonly ok: true; readonly oldestUnsignedAt: string | null; readonly lastCheckpointAt: string | null }
  | { readonly ok: false; readonly code: "audit_checkpoint_stale"; readonly oldestUnsignedAt: string; readonly lastCheckpointAt: string | null };

/**
 * An event is unsigned while it waits for its place in the log (position null) or sits beyond the
 * last signed checkpoint (position > its tree size). Both lookups use an index: the pending
 * partial index and the unique position index.
 */
export async function auditFreshness(db: Db, now: Date, staleAfterMs = CHECKPOINT_STALE_AFTER_MS): Promise<AuditFreshness> {
  const checkpoint = await db.selectFrom("audit_checkpoints").select(["seq", "signed_at"]).orderBy("seq", "desc").limit(1).executeTakeFirst();
  const lastCheckpointAt = checkpoint?.signed_at ?? null;
  const pending = await db.selectFrom("audit_events").select("at").where("position", "is", null).orderBy("seq", "asc").limit(1).executeTakeFirst();
  const firstUnsigned = await db
    .selectFrom("audit_events")
    .select("at")
    .where("position", "=", Number(checkpoint?.seq ?? 0) + 1)
    .executeTakeFirst();
  const times = [pending?.at, firstUnsigned?.at].filter((t): t is string => t !== undefined).sort();
  const oldestUnsignedAt = times[0] ?? null;
  if (oldestUnsignedAt !== null && now.getTime() - Date.parse(oldestUnsignedAt) > staleAfterMs) {
    return { ok: false, code: "audit_checkpoint_stale", oldestUnsignedAt, lastCheckpointAt };
  }
  return { ok: true, oldestUnsignedAt, lastCheckpointAt };
}
