/**
 * Reading staff accounts and API tokens for administration (`user.manage`, `token.manage`).
 * Presenters are allow-lists: password hashes, token secret hashes and TOTP secrets never leave.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeTokenList } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbApiToken, DbUser } from "../../platform/db/schema.js";
import type { Services } from "../../platform/services.js";
import { pendingRoleGrants } from "./role-grants.js";
import { effectiveExpiry } from "./token-lifetime.js";

export interface StaffUser {
  id: string;
  email: string;
  displayName: string;
  role: string;
  status: "active" | "disabled";
  supervisorId: string | null;
  mfaEnrolled: boolean;
  createdAt: string;
  disabledAt: string | null;
  /** A role at L3+ filed for a second approver and not yet decided: the user keeps `role` until then. */
  pendingRole: { approvalId: string; role: string } | null;
}

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  /** When it stops working: for an L3+ owner at most the configured days after creation. */
  expiresAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
  /** Who issued it: the owner, `system:console` (the CLI), another user (before issue #10), or null (unknown). */
  createdBy: string | null;
  lastUsedAt: string | null;
}

type UserRow = Pick<DbUser, "id" | "email" | "display_name" | "role" | "status" | "supervisor_id" | "created_at" | "disabled_at"> & {
  mfa_confirmed_at: string | null;
};

export const presentUser = (u: UserRow, pendingRole: StaffUser["pendingRole"] = null): StaffUser => ({
  id: u.id,
  email: u.email,
  displayName: u.display_name,
  role: u.role,
  status: u.status === "active" ? "active" : "disabled",
  supervisorId: u.supervisor_id,
  mfaEnrolled: u.mfa_confirmed_at !== null,
  createdAt: u.created_at,
  disabledAt: u.disabled_at,
  pendingRole,
});

type TokenRow = Pick<DbApiToken, "id" | "user_id" | "name" | "created_at" | "expires_at" | "revoked_at" | "created_by" | "last_used_at">;

export const presentToken = (t: TokenRow, ownerRole: string, maxDays: number): ApiTokenInfo => ({
  id: t.id,
  userId: t.user_id,
  name: t.name,
  createdAt: t.created_at,
  expiresAt: effectiveExpiry(t, ownerRole, maxDays),
  revoked: t.revoked_at !== null,
  revokedAt: t.revoked_at,
  createdBy: t.created_by,
  lastUsedAt: t.last_used_at,
});

/** Every staff account, oldest first; an authenticator counts as enrolled once confirmed. */
export async function listUsers(services: Services, ctx: RequestContext): Promise<StaffUser[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "user.list", targetType: "user", targetId: null, purpose: null };
    const decision = authorize(ctx.actor, "user.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const rows = await w.tx
      .selectFrom("users")
      .leftJoin("totp_enrolments", "totp_enrolments.user_id", "users.id")
      .select([
        "users.id",
        "users.email",
        "users.display_name",
        "users.role",
        "users.status",
        "users.supervisor_id",
        "users.created_at",
        "users.disabled_at",
        "totp_enrolments.confirmed_at as mfa_confirmed_at",
      ])
      .orderBy("users.created_at")
      .orderBy("users.id")
      .execute();
    const pending = await pendingRoleGrants(w.tx);
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return rows.map((u) => presentUser(u, pending.get(u.id) ?? null));
  });
}

/** API tokens, newest first, optionally of one user (anyone may list their own); never their secrets or hashes. */
export async function listTokens(services: Services, ctx: RequestContext, filter: { userId?: string | undefined } = {}): Promise<ApiTokenInfo[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "token.list", targetType: filter.userId ? "user" : "token", targetId: filter.userId ?? null, purpose: null };
    const decision = authorizeTokenList(ctx.actor, filter.userId ?? null);
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx
      .selectFrom("api_tokens")
      .innerJoin("users", "users.id", "api_tokens.user_id")
      .select([
        "api_tokens.id",
        "api_tokens.user_id",
        "api_tokens.name",
        "api_tokens.created_at",
        "api_tokens.expires_at",
        "api_tokens.revoked_at",
        "api_tokens.created_by",
        "api_tokens.last_used_at",
        "users.role",
      ]);
    if (filter.userId) q = q.where("api_tokens.user_id", "=", filter.userId);
    const rows = await q.orderBy("api_tokens.created_at", "desc").orderBy("api_tokens.id").execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return rows.map((t) => presentToken(t, t.role, services.tokenMaxDays));
  });
}
