/**
 * Containment of an account on detection's behalf (AUD-2): identity owns sessions and API tokens,
 * so the detector asks here, in its own transaction, instead of writing those tables itself.
 */
import type { Tx } from "../../platform/db/engine.js";
import { revokeSessionsOf } from "../auth/session-store.js";

export interface ContainmentResult {
  sessionsRevoked: number;
  tokensRevoked: number;
}

/** Revokes every live API token of a user at `at`; returns how many. */
export async function revokeTokensOf(tx: Tx, userId: string, at: string): Promise<number> {
  const result = await tx.updateTable("api_tokens").set({ revoked_at: at }).where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Ends the user's sessions and, when asked, their API tokens, in the caller's transaction, so the
 * containment commits (or rolls back) with the alert that triggered it.
 */
export async function containAccount(tx: Tx, userId: string, options: { revokeTokens: boolean; at: string }): Promise<ContainmentResult> {
  const sessionsRevoked = await revokeSessionsOf(tx, userId, options.at);
  const tokensRevoked = options.revokeTokens ? await revokeTokensOf(tx, userId, options.at) : 0;
  return { sessionsRevoked, tokensRevoked };
}
