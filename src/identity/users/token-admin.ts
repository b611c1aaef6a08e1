/**
 * Issuing and revoking API tokens. A token acts as its owner without a second factor, so the
 * policy lets people mint tokens only for themselves, from a session with a fresh second factor;
 * the console operator (the CLI) remains the bootstrap path. Tokens of L3+ users expire.
 */
import type { Actor } from "../../access/policy/actor.js";
import { authorizeTokenCreate, authorizeTokenRevoke, RECENT_MFA_MS } from "../../access/policy/policy.js";
import type { UserRef } from "../../access/conditions/access-condition-commands.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import { AppError, ConflictError, NotFoundError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { secondFactorProvedAt } from "./second-factor-proof.js";
import { issuedExpiry, lifetimeCapped } from "./token-lifetime.js";
import { issueToken } from "./tokens.js";

const TOKEN_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

const userByRef = (tx: Tx, ref: UserRef) => {
  const q = tx.selectFrom("users").select(["id", "role", "status"]);
  return ("id" in ref ? q.where("id", "=", ref.id) : q.where("email", "=", ref.email.trim().toLowerCase())).executeTakeFirst();
};

export interface TokenRequest {
  name: string;
  expiresInDays?: number | undefined;
}

/**
 * A token for a user named by id (API) or email (CLI); the secret is in the answer and nowhere else.
 * `session` is the caller's cookie session (null for a bearer token or the CLI): its second factor
 * must be recent. Decided before the owner is looked up, so a refusal says nothing about other accounts.
 */
export async function createToken(services: Services, actor: Actor, input: UserRef & TokenRequest, requestId: string, session: { id: string } | null = null) {
  const issued = issueToken();
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const now = new Date();
    const event = { action: "token.create", targetType: "user", targetId: "id" in input ? input.id : null };
    const named = "id" in input ? null : await userByRef(w.tx, input);
    const ownerId = "id" in input ? input.id : (named?.id ?? "");
    const secondFactorAt = session ? await secondFactorProvedAt(w.tx, { id: session.id, userId: actor.userId }, new Date(now.getTime() - RECENT_MFA_MS)) : null;
    const decision = authorizeTokenCreate(actor, { ownerId, secondFactorAt }, now);
    if (decision.effect === "deny") return w.deny(decision, event);

    const user = named ?? (await userByRef(w.tx, input));
    if (!user) return w.refuse(NotFoundError("User"), { ...event, targetId: null }, "failure");
    const name = input.name.trim();
    const issues: FieldIssue[] = [];
    if (!TOKEN_NAME.test(name)) issues.push({ field: "name", code: "format", message: "1–64 letters, digits, spaces, dot, dash or underscore." });
    if (lifetimeCapped(user.role) && input.expiresInDays !== undefined && input.expiresInDays > services.tokenMaxDays)
      issues.push({ field: "expiresInDays", code: "above_token_cap", message: `A token of this user's role lives at most ${services.tokenMaxDays} days.` });
    if (issues.length)
      return w.refuse(ValidationError(issues), { ...event, targetId: user.id, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } }, "failure");
    if (user.status !== "active") return w.refuse(new AppError(409, "user_disabled", "The user is disabled."), { ...event, targetId: user.id }, "failure");

    const expiresAt = issuedExpiry(now, user.role, services.tokenMaxDays, input.expiresInDays);
    await w.tx
      .insertInto("api_tokens")
      .values({
        id: issued.id,
        user_id: user.id,
        name,
        secret_hash: issued.secretHash,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        revoked_at: null,
        created_by: actor.userId,
        last_used_at: null,
      })
      .execute();
    w.record({ action: "token.create", targetType: "token", targetId: issued.id, outcome: "success", details: { userId: user.id, expiresAt } });
    return { token: issued.token, id: issued.id, userId: user.id, name, createdAt: now.toISOString(), expiresAt };
  });
}

/**
 * Revokes one token; the authenticator checks `revoked_at` on every request, so it stops at once.
 * `cause` names why when it is not a person's choice (`custodia tokens audit --revoke-foreign`).
 */
export async function revokeToken(services: Services, actor: Actor, input: { id: string; cause?: "foreign_token" }, requestId: string) {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "token.revoke", targetType: "token", targetId: input.id };
    const token = await w.tx.selectFrom("api_tokens").select(["id", "user_id", "revoked_at"]).where("id", "=", input.id).executeTakeFirst();
    // Whose token it is decides; an unknown id is refused as someone else's, so ids cannot be probed.
    const decision = authorizeTokenRevoke(actor, token?.user_id ?? "");
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!token) return w.refuse(NotFoundError("Token"), event, "failure");
    if (token.revoked_at) return w.refuse(ConflictError("token_revoked", "The token is already revoked."), event, "failure");
    const revokedAt = new Date().toISOString();
    await w.tx.updateTable("api_tokens").set({ revoked_at: revokedAt }).where("id", "=", token.id).where("revoked_at", "is", null).execute();
    w.record({ ...event, outcome: "success", details: { userId: token.user_id, ...(input.cause ? { cause: input.cause } : {}) } });
    return { id: token.id, userId: token.user_id, revoked: true as const, revokedAt };
  });
}
