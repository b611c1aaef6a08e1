/**
 * When a cookie session last proved a second factor. The audit log is the evidence: a successful
 * TOTP, passkey or recovery-code step names the full session it issued, and confirming an
 * authenticator names the session it ran in. Reading the log (through the actor index, over the
 * last few minutes only) needs no column of its own, and a forged proof would break the hash chain.
 */
import type { Tx } from "../../platform/db/engine.js";

const PROOFS = ["auth.totp", "auth.passkey", "auth.recovery_code", "auth.totp.confirm"];

const sessionIdOf = (details: string | null): unknown => {
  try {
    return details ? (JSON.parse(details) as { sessionId?: unknown }).sessionId : undefined;
  } catch {
    return undefined;
  }
};

/** The time of the session's latest second-factor proof at or after `since`, or null. */
export async function secondFactorProvedAt(tx: Tx, session: { id: string; userId: string }, since: Date): Promise<string | null> {
  const rows = await tx
    .selectFrom("audit_events")
    .select(["at", "details"])
    .where("actor_id", "=", session.userId)
    .where("at", ">=", since.toISOString())
    .where("action", "in", PROOFS)
    .where("outcome", "=", "success")
    .orderBy("seq", "desc")
    .limit(50)
    .execute();
  return rows.find((r) => sessionIdOf(r.details) === session.id)?.at ?? null;
}
