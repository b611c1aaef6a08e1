/**
 * Reading staff accounts and API tokens for administration (`user.manage`, `token.manage`).
 * Presenters are allow-lists: password hashes, token secret hashes and TOTP secrets never leave.
 */
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { DbApiToken, DbUser } from "../../platform/db/schema.js";
import type { Services } from "../../platform/services.js";

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
}

export interface ApiTokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  expiresAt: string | null;
  revoked: boolean;
  revokedAt: string | null;
}

type UserRow = Pick<DbUser, "id" | "email" | "display_name" | "role" | "status" | "supervisor_id" | "created_at" | "disabled_at"> & {
  mfa_confirmed_at: string | null;
};

export const presentUser = (u: UserRow): StaffUser => ({
  id: u.id,
  email: u.email,
  displayName: u.display_name,
  role: u.role,
  status: u.status === "active" ? "active" : "disabled",
  supervisorId: u.supervisor_id,
  mfaEnrolled: u.mfa_confirmed_at !== null,
  createdAt: u.created_at,
  disabledAt: u.disabled_at,
});

export const presentToken = (t: Pick<DbApiToken, "id" | "user_id" | "name" | "created_at" | "expires_at" | "revoked_at">): ApiTokenInfo => ({
  id: t.id,
  userId: t.user_id,
  name: t.name,
  createdAt: t.created_at,
  expiresAt: t.expires_at,
  revoked: t.revoked_at !== null,
  revokedAt: t.revoked_at,
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
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return rows.map(presentUser);
  });
}

/** API tokens, newest first, optionally of one user; never their secrets or hashes. */
export async function listTokens(services: Services, ctx: RequestContext, filter: { userId?: string | undefined } = {}): Promise<ApiTokenInfo[]> {
  return runAudited(services, ctx, async (w) => {
    const event = { action: "token.list", targetType: filter.userId ? "user" : "token", targetId: filter.userId ?? null, purpose: null };
    const decision = authorize(ctx.actor, "token.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    let q = w.tx.selectFrom("api_tokens").select(["id", "user_id", "name", "created_at", "expires_at", "revoked_at"]);
    if (filter.userId) q = q.where("user_id", "=", filter.userId);
    const rows = await q.orderBy("created_at", "desc").orderBy("id").execute();
    w.record({ ...event, outcome: "success", details: { count: rows.length } });
    return rows.map(presentToken);
  });
}
