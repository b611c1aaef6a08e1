import { isPrivilegedRole } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";

const DAY_MS = 86_400_000;
/** Last use is written at most this often per token: a read-heavy integration costs one write a minute. */
export const LAST_USE_GRANULARITY_MS = 60_000;

/** Tokens of L3+ users expire: such a token skips the second factor their role must otherwise pass. */
export const lifetimeCapped = (ownerRole: string): boolean => isRole(ownerRole) && isPrivilegedRole(ownerRole);

/**
 * When a token stops working. An L3+ owner's token lives at most `maxDays` from its creation,
 * whatever it was issued with: that also caps tokens made before the cap existed or before the
 * owner's promotion, and a shorter setting shortens every such token at once.
 */
export function effectiveExpiry(token: { created_at: string; expires_at: string | null }, ownerRole: string, maxDays: number): string | null {
  if (!lifetimeCapped(ownerRole)) return token.expires_at;
  const cap = new Date(Date.parse(token.created_at) + maxDays * DAY_MS).toISOString();
  return token.expires_at !== null && token.expires_at < cap ? token.expires_at : cap;
}

/** The expiry to issue a token with: the requested days, or for an L3+ owner the cap when none is asked for. */
export function issuedExpiry(now: Date, ownerRole: string, maxDays: number, requestedDays: number | undefined): string | null {
  const days = requestedDays ?? (lifetimeCapped(ownerRole) ? maxDays : undefined);
  return days === undefined ? null : new Date(now.getTime() + days * DAY_MS).toISOString();
}
