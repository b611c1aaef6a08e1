import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import { SignInLockedError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { hashPassword, verifyPassword } from "../users/passwords.js";
import { accountKey, ipKey } from "./lockout.js";
import { passwordIssues } from "./password-policy.js";
import { commitEvents, countFailure, type CallerFacts, type SignInServices } from "./sign-in-services.js";

const ACTION = "auth.password.change";

/**
 * A signed-in user changes their own password. The new one must pass the password policy; a wrong
 * current password counts as a failed sign-in (same account and address lockout), so a borrowed
 * session cannot be used to guess it. On success every other session of the user ends and the
 * calling one stays; API tokens are separate credentials and are not touched.
 */
export async function changePassword(
  kit: SignInServices,
  ctx: RequestContext,
  currentSessionId: string | null,
  input: { currentPassword: string; newPassword: string },
  caller: CallerFacts,
): Promise<{ sessionsRevoked: number }> {
  const db = kit.services.engine.db;
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "role", "status", "password_hash"])
    .where("id", "=", ctx.actor.userId)
    .executeTakeFirstOrThrow();
  const target = { targetType: "user", targetId: user.id, actorId: user.id, actorRole: user.role, requestId: caller.requestId };

  const lock = await db.transaction().execute((tx) => kit.lockout.check(tx, { account: accountKey(user.email), ip: caller.ip ? ipKey(caller.ip) : null }));
  if (lock.locked) {
    await commitEvents(kit, async () => [{ action: ACTION, outcome: "denied", reason: `${lock.scope}_locked`, ...target }]);
    throw SignInLockedError();
  }

  // The policy first: it needs no secret, and a weak candidate costs no argon2id work.
  const issues: FieldIssue[] = passwordIssues(input.newPassword, { email: user.email }).map((i) => ({ ...i, field: "newPassword" }));
  if (!issues.length && input.newPassword.normalize("NFKC") === input.currentPassword.normalize("NFKC")) {
    issues.push({ field: "newPassword", code: "password_unchanged", message: "The new password must differ from the current one." });
  }
  if (issues.length) {
    await commitEvents(kit, async () => [
      { action: ACTION, outcome: "failure", reason: "validation_error", ...target, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } },
    ]);
    throw ValidationError(issues);
  }

  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    await commitEvents(kit, (tx) => countFailure(kit, tx, user.email, caller, { action: ACTION, outcome: "failure", reason: "wrong_password", ...target }));
    throw ValidationError([{ field: "currentPassword", code: "wrong_password", message: "The current password is wrong." }]);
  }

  const hash = await hashPassword(input.newPassword);
  return runAudited(kit.services, ctx, async (w) => {
    await w.tx.updateTable("users").set({ password_hash: hash }).where("id", "=", user.id).execute();
    let others = w.tx
      .updateTable("sessions")
      .set({ revoked_at: new Date(kit.settings.now()).toISOString() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null);
    if (currentSessionId) others = others.where("id", "!=", currentSessionId);
    const sessionsRevoked = Number((await others.executeTakeFirst()).numUpdatedRows);
    await kit.lockout.clear(w.tx, accountKey(user.email));
    w.record({
      action: ACTION,
      outcome: "success",
      targetType: "user",
      targetId: user.id,
      purpose: null,
      details: { sessionsRevoked, keptSessionId: currentSessionId },
    });
    return { sessionsRevoked };
  });
}
