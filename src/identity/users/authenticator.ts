import type { Actor } from "../../access/policy/actor.js";
import { isRole } from "../../access/policy/roles.js";
import type { Services } from "../../platform/services.js";
import { parseToken, secretMatches } from "./tokens.js";

/**
 * Resolves a bearer token to its user, or null for anything unknown, revoked, expired or
 * belonging to a disabled user. The role is read on every request, so a change applies at once.
 */
export async function authenticateToken(services: Services, presented: string): Promise<(Actor & { tokenId: string }) | null> {
  const parsed = parseToken(presented);
  if (!parsed) return null;
  const row = await services.engine.db
    .selectFrom("api_tokens")
    .innerJoin("users", "users.id", "api_tokens.user_id")
    .select(["api_tokens.secret_hash", "api_tokens.expires_at", "api_tokens.revoked_at", "users.id as userId", "users.role", "users.status"])
    .where("api_tokens.id", "=", parsed.id)
    .executeTakeFirst();
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  if (row.revoked_at || row.status !== "active" || !isRole(row.role)) return null;
  if (row.expires_at && row.expires_at <= new Date().toISOString()) return null;
  return { userId: row.userId, role: row.role, tokenId: parsed.id };
}
