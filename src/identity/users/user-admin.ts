import { uuidv7 } from "../../platform/ids.js";
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { isRole, type Action, type Role } from "../../access/policy/roles.js";
import { runAudited, type AuditDraft, type AuditedWork } from "../../platform/audit/audited.js";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { passwordIssues } from "../auth/password-policy.js";
import { hashPassword } from "./passwords.js";
import { issueToken } from "./tokens.js";
import { revokeGrantsOf } from "../../access/grants/grant-store.js";
import type { UserRef } from "../../access/conditions/access-condition-commands.js";

/** The operator at the server's console: the CLI acts as this actor. */
export const CONSOLE_OPERATOR: Actor = Object.freeze({ userId: "system:console", role: "admin" });

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

/**
 * User and token administration (`user.manage`, `token.manage`): the CLI acts as the console
 * operator, the API as the signed-in admin; both call these commands, which authorize themselves.
 * Checked before any input is looked at or any password hashed, so a refusal reveals nothing.
 */
async function guard(services: Services, ctx: RequestContext, action: Action, event: Omit<AuditDraft, "outcome">): Promise<void> {
  const decision = authorize(ctx.actor, action);
  if (decision.effect === "deny") await runAudited(services, ctx, async (w) => w.deny(decision, event));
}

const commandContext = (actor: Actor, requestId: string): RequestContext => ({ actor, requestId, purpose: null });

export interface NewUser {
  email: string;
  role: string;
  password: string;
  displayName?: string | undefined;
}

export async function addUser(
  services: Services,
  actor: Actor,
  input: NewUser,
  requestId: string,
): Promise<{ id: string; email: string; role: Role; displayName: string; createdAt: string }> {
  await guard(services, commandContext(actor, requestId), "user.manage", { action: "user.create", targetType: "user", targetId: null });
  const email = input.email.trim().toLowerCase();
  const issues = [];
  if (!EMAIL.test(email)) issues.push({ field: "email", code: "format", message: "Not an email address." });
  if (!isRole(input.role)) issues.push({ field: "role", code: "unknown_role", message: "Unknown role." });
  issues.push(...passwordIssues(input.password, { email }));
  if (issues.length) throw ValidationError(issues);
  const passwordHash = await hashPassword(input.password);
  const id = uuidv7();
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.create", targetType: "user", targetId: id };
    const exists = await w.tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    if (exists) return w.refuse(ConflictError("user_exists", "A user with this email exists."), { ...event, targetId: exists.id }, "failure");
    const displayName = input.displayName?.trim() || email;
    const createdAt = new Date().toISOString();
    await w.tx
      .insertInto("users")
      .values({
        id,
        email,
        display_name: displayName,
        role: input.role,
        password_hash: passwordHash,
        status: "active",
        created_at: createdAt,
        disabled_at: null,
      })
      .execute();
    w.record({ ...event, outcome: "success", details: { role: input.role } });
    return { id, email, role: input.role as Role, displayName, createdAt };
  });
}

/** A token for a user named by id (API) or email (CLI); the secret is in the answer and nowhere else. */
export async function createToken(services: Services, actor: Actor, input: UserRef & { name: string; expiresInDays?: number | undefined }, requestId: string) {
  await guard(services, commandContext(actor, requestId), "token.manage", {
    action: "token.create",
    targetType: "user",
    targetId: "id" in input ? input.id : null,
  });
  const name = input.name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,64}$/u.test(name))
    throw ValidationError([{ field: "name", code: "format", message: "1–64 letters, digits, spaces, dot, dash or underscore." }]);
  const issued = issueToken();
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const user = await userByRef(w.tx, input);
    if (!user) return w.refuse(NotFoundError("User"), { action: "token.create", targetType: "user", targetId: null }, "failure");
    if (user.status !== "active")
      return w.refuse(
        new AppError(409, "user_disabled", "The user is disabled."),
        { action: "token.create", targetType: "user", targetId: user.id },
        "failure",
      );
    const now = new Date();
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null;
    await w.tx
      .insertInto("api_tokens")
      .values({ id: issued.id, user_id: user.id, name, secret_hash: issued.secretHash, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
      .execute();
    w.record({ action: "token.create", targetType: "token", targetId: issued.id, outcome: "success", details: { userId: user.id, expiresAt } });
    return { token: issued.token, id: issued.id, userId: user.id, name, createdAt: now.toISOString(), expiresAt };
  });
}

/** Revokes one token; the authenticator checks `revoked_at` on every request, so it stops at once. */
export async function revokeToken(services: Services, actor: Actor, input: { id: string }, requestId: string) {
  return runAudited(services, commandContext(actor, requestId), async (w) => {
    const event = { action: "token.revoke", targetType: "token", targetId: input.id };
    const decision = authorize(actor, "token.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const token = await w.tx.selectFrom("api_tokens").select(["id", "user_id", "revoked_at"]).where("id", "=", input.id).executeTakeFirst();
    if (!token) return w.refuse(NotFoundError("Token"), event, "failure");
    if (token.revoked_at) return w.refuse(ConflictError("token_revoked", "The token is already revoked."), event, "failure");
    const revokedAt = new Date().toISOString();
    await w.tx.updateTable("api_tokens").set({ revoked_at: revokedAt }).where("id", "=", token.id).where("revoked_at", "is", null).execute();
    w.record({ ...event, outcome: "success", details: { userId: token.user_id } });
    return { id: token.id, userId: token.user_id, revoked: true as const, revokedAt };
  });
}

const userByRef = (tx: Tx, ref: UserRef) => {
  const q = tx.selectFrom("users").select(["id", "role", "status"]);
  return ("id" in ref ? q.where("id", "=", ref.id) : q.where("email", "=", ref.email.trim().toLowerCase())).executeTakeFirst();
};

/**
 * A leaver: the account is disabled and every session, token and grant revoked in one transaction, so
 * the next request with any of them is refused (the authenticators also check the status).
 */
export async function disableUser(services: Services, actor: Actor, input: UserRef, requestId: string) {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.disable", targetType: "user", targetId: "id" in input ? input.id : null };
    const decision = authorize(actor, "user.manage");
    if (decision.effect === "deny") return w.deny(decision, event);
    const user = await userByRef(w.tx, input);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const revoked = await disableAccount(w, user);
    return { id: user.id, status: "disabled" as const, ...revoked };
  });
}

/**
 * The leaver's cut-off inside the caller's audited work (disableUser, or an access review's revoke
 * of a role, which passes `details` naming the review): status, sessions, tokens and grants at once.
 */
export async function disableAccount(w: AuditedWork, user: { id: string; status: string }, details: Record<string, string> = {}) {
  const now = new Date().toISOString();
  await w.tx.updateTable("users").set({ status: "disabled", disabled_at: now }).where("id", "=", user.id).execute();
  const sessions = await w.tx
    .updateTable("sessions")
    .set({ revoked_at: now })
    .where("user_id", "=", user.id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  const tokens = await w.tx
    .updateTable("api_tokens")
    .set({ revoked_at: now })
    .where("user_id", "=", user.id)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  const grantsRevoked = await revokeGrantsOf(w.tx, user.id, now);
  const revoked = { sessionsRevoked: Number(sessions.numUpdatedRows), tokensRevoked: Number(tokens.numUpdatedRows), grantsRevoked };
  w.record({
    action: "user.disable",
    outcome: "success",
    targetType: "user",
    targetId: user.id,
    details: { previousStatus: user.status, ...revoked, ...details },
  });
  return revoked;
}

/** A mover: the new role applies on the caller's next request, since authentication reads it each time. */
export async function setUserRole(services: Services, actor: Actor, input: UserRef & { role: string }, requestId: string) {
  await guard(services, commandContext(actor, requestId), "user.manage", {
    action: "user.set_role",
    targetType: "user",
    targetId: "id" in input ? input.id : null,
  });
  if (!isRole(input.role)) throw ValidationError([{ field: "role", code: "unknown_role", message: "Unknown role." }]);
  const role = input.role;
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const user = await userByRef(w.tx, input);
    if (!user) return w.refuse(NotFoundError("User"), { action: "user.set_role", targetType: "user", targetId: "id" in input ? input.id : null }, "failure");
    await w.tx.updateTable("users").set({ role }).where("id", "=", user.id).execute();
    w.record({ action: "user.set_role", outcome: "success", targetType: "user", targetId: user.id, details: { from: user.role, to: role } });
    return { id: user.id, role };
  });
}
