import { uuidv7 } from "../ids.js";
import type { Actor } from "../access/actor.js";
import { isRole, type Role } from "../access/roles.js";
import { runAudited } from "../audit/audited.js";
import { AppError, ConflictError, NotFoundError, ValidationError } from "../errors.js";
import type { Tx } from "../db/engine.js";
import type { Services } from "../services.js";
import { passwordIssues } from "../auth/password-policy.js";
import { hashPassword } from "./passwords.js";
import { issueToken } from "./tokens.js";
import { revokeGrantsOf } from "../grants/grant-store.js";

/** The operator at the server's console: the CLI acts as this actor. */
export const CONSOLE_OPERATOR: Actor = Object.freeze({ userId: "system:console", role: "admin" });

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

export interface NewUser {
  email: string;
  role: string;
  password: string;
  displayName?: string | undefined;
}

export async function addUser(services: Services, actor: Actor, input: NewUser, requestId: string): Promise<{ id: string; email: string; role: Role }> {
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
    await w.tx
      .insertInto("users")
      .values({ id, email, display_name: input.displayName ?? email, role: input.role, password_hash: passwordHash, status: "active", created_at: new Date().toISOString(), disabled_at: null })
      .execute();
    w.record({ ...event, outcome: "success", details: { role: input.role } });
    return { id, email, role: input.role as Role };
  });
}

export async function createToken(services: Services, actor: Actor, input: { email: string; name: string; expiresInDays?: number | undefined }, requestId: string) {
  const name = input.name.trim();
  if (!/^[\p{L}\p{N} ._-]{1,64}$/u.test(name)) throw ValidationError([{ field: "name", code: "format", message: "1–64 letters, digits, spaces, dot, dash or underscore." }]);
  const issued = issueToken();
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const user = await w.tx.selectFrom("users").select(["id", "status"]).where("email", "=", input.email.trim().toLowerCase()).executeTakeFirst();
    if (!user) return w.refuse(NotFoundError("User"), { action: "token.create", targetType: "user", targetId: null }, "failure");
    if (user.status !== "active") return w.refuse(new AppError(409, "user_disabled", "The user is disabled."), { action: "token.create", targetType: "user", targetId: user.id }, "failure");
    const now = new Date();
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString() : null;
    await w.tx
      .insertInto("api_tokens")
      .values({ id: issued.id, user_id: user.id, name, secret_hash: issued.secretHash, created_at: now.toISOString(), expires_at: expiresAt, revoked_at: null })
      .execute();
    w.record({ action: "token.create", targetType: "token", targetId: issued.id, outcome: "success", details: { userId: user.id, expiresAt } });
    return { token: issued.token, id: issued.id, userId: user.id, expiresAt };
  });
}

const userByEmail = (tx: Tx, email: string) =>
  tx.selectFrom("users").select(["id", "role", "status"]).where("email", "=", email.trim().toLowerCase()).executeTakeFirst();

/**
 * A leaver: the account is disabled and every session, token and grant revoked in one transaction, so
 * the next request with any of them is refused (the authenticators also check the status).
 */
export async function disableUser(services: Services, actor: Actor, input: { email: string }, requestId: string) {
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const user = await userByEmail(w.tx, input.email);
    if (!user) return w.refuse(NotFoundError("User"), { action: "user.disable", targetType: "user", targetId: null }, "failure");
    const now = new Date().toISOString();
    await w.tx.updateTable("users").set({ status: "disabled", disabled_at: now }).where("id", "=", user.id).execute();
    const sessions = await w.tx.updateTable("sessions").set({ revoked_at: now }).where("user_id", "=", user.id).where("revoked_at", "is", null).executeTakeFirst();
    const tokens = await w.tx.updateTable("api_tokens").set({ revoked_at: now }).where("user_id", "=", user.id).where("revoked_at", "is", null).executeTakeFirst();
    const grantsRevoked = await revokeGrantsOf(w.tx, user.id, now);
    const revoked = { sessionsRevoked: Number(sessions.numUpdatedRows), tokensRevoked: Number(tokens.numUpdatedRows), grantsRevoked };
    w.record({ action: "user.disable", outcome: "success", targetType: "user", targetId: user.id, details: { previousStatus: user.status, ...revoked } });
    return { id: user.id, status: "disabled" as const, ...revoked };
  });
}

/** A mover: the new role applies on the caller's next request, since authentication reads it each time. */
export async function setUserRole(services: Services, actor: Actor, input: { email: string; role: string }, requestId: string) {
  if (!isRole(input.role)) throw ValidationError([{ field: "role", code: "unknown_role", message: "Unknown role." }]);
  const role = input.role;
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const user = await userByEmail(w.tx, input.email);
    if (!user) return w.refuse(NotFoundError("User"), { action: "user.set_role", targetType: "user", targetId: null }, "failure");
    await w.tx.updateTable("users").set({ role }).where("id", "=", user.id).execute();
    w.record({ action: "user.set_role", outcome: "success", targetType: "user", targetId: user.id, details: { from: user.role, to: role } });
    return { id: user.id, role };
  });
}
