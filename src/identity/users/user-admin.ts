import { uuidv7 } from "../../platform/ids.js";
import type { Actor, RequestContext } from "../../access/policy/actor.js";
import { authorize, authorizeRoleGrant } from "../../access/policy/policy.js";
import { isRole, type Action, type Role } from "../../access/policy/roles.js";
import { applyDefaultSubscriptions } from "../../response/notifications/default-subscriptions.js";
import { runAudited, type AuditDraft, type AuditedWork } from "../../platform/audit/audited.js";
import { ConflictError, NotFoundError, ValidationError } from "../../platform/errors.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { passwordIssues } from "../auth/password-policy.js";
import { hashPassword } from "./passwords.js";
import { approverExists, pendingRoleGrantOf, requestRoleGrant } from "./role-grants.js";
import { revokeGrantsOf } from "../../access/grants/grant-store.js";
import { CONSOLE_ACTOR_ID } from "../../access/policy/predicates.js";
import type { UserRef } from "../../access/conditions/access-condition-commands.js";

/** The operator at the server's console: the CLI acts as this actor. */
export const CONSOLE_OPERATOR: Actor = Object.freeze({ userId: CONSOLE_ACTOR_ID, role: "admin" });

// Token commands live in token-admin.ts; re-exported for the CLI, the routes and the test factories.
export { createToken, revokeToken } from "./token-admin.js";

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

/**
 * User administration (`user.manage`; tokens are in token-admin.ts): the CLI acts as the console
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

/** A new account: active at once, or (a role at L3+) disabled until a second approver grants the role. */
export interface CreatedUser {
  id: string;
  email: string;
  role: Role;
  displayName: string;
  createdAt: string;
  status: "active" | "awaiting_approval";
  /** The role_grant request the account waits for, or null. */
  approvalId: string | null;
}

export async function addUser(services: Services, actor: Actor, input: NewUser, requestId: string): Promise<CreatedUser> {
  await guard(services, commandContext(actor, requestId), "user.manage", { action: "user.create", targetType: "user", targetId: null });
  const email = input.email.trim().toLowerCase();
  const issues = [];
  if (!EMAIL.test(email)) issues.push({ field: "email", code: "format", message: "Not an email address." });
  if (!isRole(input.role)) issues.push({ field: "role", code: "unknown_role", message: "Unknown role." });
  issues.push(...passwordIssues(input.password, { email }));
  if (issues.length) throw ValidationError(issues);
  const role = input.role as Role;
  const passwordHash = await hashPassword(input.password);
  const id = uuidv7();
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.create", targetType: "user", targetId: id };
    const decision = authorizeRoleGrant(actor, { subjectId: null, role, approverExists: await approverExists(w.tx, null) });
    if (decision.effect === "deny") return w.deny(decision, { ...event, targetId: null, details: { role } });
    const exists = await w.tx.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst();
    if (exists) return w.refuse(ConflictError("user_exists", "A user with this email exists."), { ...event, targetId: exists.id }, "failure");
    const displayName = input.displayName?.trim() || email;
    const createdAt = new Date().toISOString();
    const pending = decision.effect === "approval";
    await w.tx
      .insertInto("users")
      .values({
        id,
        email,
        display_name: displayName,
        role,
        password_hash: passwordHash,
        // Waiting for its role, the account cannot sign in; no disabled_at: it never left.
        status: pending ? "disabled" : "active",
        created_at: createdAt,
        disabled_at: null,
      })
      .execute();
    const approvalId = pending ? await requestRoleGrant(w, { requesterId: actor.userId, subjectId: id, role, from: null }) : null;
    // Notifications that work on day one: the role's default subscriptions (issue #15).
    await applyDefaultSubscriptions(w.tx, { id, role }, createdAt);
    w.record({ ...event, outcome: "success", details: { role, ...(approvalId ? { approvalId } : {}) } });
    return { id, email, role, displayName, createdAt, status: pending ? ("awaiting_approval" as const) : ("active" as const), approvalId };
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

/** Records a user's direct superior (null clears it) in the caller's transaction: access conditions set it, identity writes it. */
export async function assignSupervisor(tx: Tx, userId: string, supervisorId: string | null): Promise<void> {
  await tx.updateTable("users").set({ supervisor_id: supervisorId }).where("id", "=", userId).execute();
}

/**
 * A mover: the new role applies on the caller's next request, since authentication reads it each
 * time. A role at L3+ is filed for a second approver instead (the user keeps the old role until then);
 * nobody changes their own role.
 */
export async function setUserRole(services: Services, actor: Actor, input: UserRef & { role: string }, requestId: string) {
  await guard(services, commandContext(actor, requestId), "user.manage", {
    action: "user.set_role",
    targetType: "user",
    targetId: "id" in input ? input.id : null,
  });
  if (!isRole(input.role)) throw ValidationError([{ field: "role", code: "unknown_role", message: "Unknown role." }]);
  const role = input.role;
  return runAudited(services, { actor, requestId, purpose: null }, async (w) => {
    const event = { action: "user.set_role", targetType: "user", targetId: "id" in input ? input.id : null };
    const user = await userByRef(w.tx, input);
    if (!user) return w.refuse(NotFoundError("User"), event, "failure");
    const decision = authorizeRoleGrant(actor, { subjectId: user.id, role, approverExists: await approverExists(w.tx, user.id) });
    if (decision.effect === "deny") return w.deny(decision, { ...event, targetId: user.id, details: { to: role } });
    if (await pendingRoleGrantOf(w.tx, user.id))
      return w.refuse(ConflictError("role_grant_pending", "A role change for this user awaits approval."), { ...event, targetId: user.id }, "failure");
    if (decision.effect === "approval") {
      const approvalId = await requestRoleGrant(w, { requesterId: actor.userId, subjectId: user.id, role, from: user.role });
      return { id: user.id, role: user.role, pendingApproval: { id: approvalId, role } };
    }
    await w.tx.updateTable("users").set({ role }).where("id", "=", user.id).execute();
    await applyDefaultSubscriptions(w.tx, { id: user.id, role }, new Date().toISOString());
    w.record({ ...event, outcome: "success", targetId: user.id, details: { from: user.role, to: role } });
    return { id: user.id, role, pendingApproval: null };
  });
}
