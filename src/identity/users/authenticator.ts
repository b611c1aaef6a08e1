import type { Actor } from "../../access/policy/actor.js";
import { isRole } from "../../access/policy/roles.js";
import { prepared } from "../../platform/db/prepared.js";
import type { Services } from "../../platform/services.js";
import { effectiveExpiry, LAST_USE_GRANULARITY_MS } from "./token-lifetime.js";
import { parseToken, secretMatches } from "./tokens.js";

/** The token and its user (compiled once: every API request runs it). */
const tokenWithUser = prepared((db, a: { id: string }) =>
  db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select([
      "api_tokens.secret_hash",
      "api_tokens.created_at",
      "api_tokens.expires_at",
      "api_tokens.revoked_at",
      "api_tokens.last_used_at",
      "users.id as userId",
      "users.role",
      "users.status",
    ])
    .where("api_tokens.id", "=", a.id),
);

/**
 * Resolves a bearer token to its user, or null for anything unknown, revoked, expired or
 * belonging to a disabled user. The role is read on every request, so a change applies at once;
 * so does the lifetime cap of an L3+ user's token (a promotion caps the tokens they already hold).
 */
export async function authenticateToken(services: Services, presented: string): Promise<(Actor & { tokenId: string }) | null> {
  const parsed = parseToken(presented);
  if (!parsed) return null;
  const db = services.engine.db;
  const [row] = await tokenWithUser(services.engine.reader, { id: parsed.id });
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  if (row.revoked_at || row.status !== "active" || !isRole(row.role)) return null;
  const now = new Date();
  const expiresAt = effectiveExpiry(row, row.role, services.tokenMaxDays);
  if (expiresAt && expiresAt <= now.toISOString()) return null;
  // Last use for the console, written at most once a minute per token (the condition makes
  // concurrent requests and servers write it once).
  const stale = new Date(now.getTime() - LAST_USE_GRANULARITY_MS).toISOString();
  if (!row.last_used_at || row.last_used_at < stale) {
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: now.toISOString() })
      .where("id", "=", parsed.id)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<", stale)]))
      .execute();
  }
  return { userId: row.userId, role: row.role, tokenId: parsed.id };
}
