import type { RequestContext } from "../../access/policy/actor.js";
import { SignInLockedError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { hashPassword, verifyPassword } from "../users/passwords.js";
import { passwordIssues } from "./password-policy.js";
import { type CallerFacts, countFailure, holder, keysOf, refuseAttempt, type SignInServices, signInWork } from "./sign-in-services.js";

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
  const actor = holder(user);
  const target = { targetType: "user", targetId: user.id };
  const keys = keysOf(kit, user.email, caller);

  const lock = await kit.lockout.check(db, keys);
  if (lock.locked) return refuseAttempt(kit, caller, actor, SignInLockedError(), { action: ACTION, reason: `${lock.scope}_locked`, ...target }, "denied");

  // The policy first: it needs no secret, and a weak candidate costs no argon2id work.
  const issues: FieldIssue[] = passwordIssues(input.newPassword, { email: user.email }).map((i) => ({ ...i, field: "newPassword" }));
  if (!issues.length && input.newPassword.normalize("NFKC") === input.currentPassword.normalize("NFKC")) {
    issues.push({ field: "newPassword", code: "password_unchanged", message: "The new password must differ from the current one." });
  }
  if (issues.length) {
    const details = { fields: issues.map((i) => `${i.field}:${i.code}`) };
    return refuseAttempt(kit, caller, actor, ValidationError(issues), { action: ACTION, reason: "validation_error", ...target, details }, "failure");
  }

  // Outside any transaction: argon2id takes a while and must not hold the database.
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    return signInWork<never>(kit, caller, actor, async (w) => {
      await countFailure(kit, w, user.email, caller, target);
      const error = ValidationError([{ field: "currentPassword", code: "wrong_password", message: "The current password is wrong." }]);
      return w.refuse(error, { action: ACTION, reason: "wrong_password", ...target }, "failure");
    });
  }

  const hash = await hashPassword(input.newPassword);
  return signInWork(kit, caller, actor, async (w) => {
    await w.tx.updateTable("users").set({ password_hash: hash }).where("id", "=", user.id).execute();
    let others = w.tx
      .updateTable("sessions")
      .set({ revoked_at: new Date(kit.settings.now()).toISOString() })
      .where("user_id", "=", user.id)
      .where("revoked_at", "is", null);
    if (currentSessionId) others = others.where("id", "!=", currentSessionId);
    const sessionsRevoked = Number((await others.executeTakeFirst()).numUpdatedRows);
    await kit.lockout.clear(w.tx, keys.account);
    w.record({ action: ACTION, outcome: "success", ...target, details: { sessionsRevoked, keptSessionId: currentSessionId } });
    return { sessionsRevoked };
  });
}
