import type { AuditEventInput } from "../../platform/audit/audit-event.js";
import type { Tx } from "../../platform/db/engine.js";
import { MfaCodeInvalidError, PasskeyRejectedError, SessionRequiredError, SignInLockedError } from "../../platform/errors.js";
import { acceptPasskey, type PasskeyAssertion } from "./passkeys.js";
import { redeemRecoveryCode, remainingRecoveryCodes } from "./recovery-codes.js";
import type { IssuedSession, Session } from "./session-store.js";
import { iso } from "./settings.js";
import { type CallerFacts, claimant, countFailure, keysOf, type SignInServices, signInWork } from "./sign-in-services.js";
import { checkTotp } from "./totp.js";

export const totpBinding = (userId: string) => ({ table: "totp_enrolments", recordId: userId, field: "secret" });

export type SecondFactor = { code: string } | { recoveryCode: string } | { passkey: PasskeyAssertion };

/**
 * Checks a TOTP code, recording its step so it cannot be used again. The step is written only if
 * it is after the stored one, so two concurrent requests with the same code cannot both pass.
 */
export async function acceptTotp(kit: SignInServices, tx: Tx, userId: string, code: string): Promise<"ok" | "invalid_code" | "replayed_code"> {
  const row = await tx.selectFrom("totp_enrolments").select(["secret_ct", "last_step", "confirmed_at"]).where("user_id", "=", userId).executeTakeFirst();
  if (!row?.confirmed_at) return "invalid_code";
  const secret = kit.services.vault.openSecret(totpBinding(userId), row.secret_ct);
  const last = row.last_step === null ? null : Number(row.last_step);
  const check = checkTotp(secret, code, kit.settings.now(), last);
  if (!check.ok) return check.reason;
  const moved = await tx
    .updateTable("totp_enrolments")
    .set({ last_step: check.step })
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", check.step)]))
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1 ? "ok" : "replayed_code";
}

/**
 * Step two of sign-in: a TOTP code, a passkey assertion or a recovery code turns a pending session
 * into a full one; all three share the lockout, the audit trail and the session upgrade.
 * The pending session is revoked and a new one issued, so its id never gains privileges.
 */
export async function completeSignIn(kit: SignInServices, pending: Session, factor: SecondFactor, caller: CallerFacts): Promise<IssuedSession> {
  if (pending.kind !== "mfa") throw SessionRequiredError();
  const db = kit.services.engine.db;
  const user = await db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", pending.userId).executeTakeFirstOrThrow();
  const target = { targetType: "user", targetId: user.id };
  const action = "code" in factor ? "auth.totp" : "passkey" in factor ? "auth.passkey" : "auth.recovery_code";
  const keys = keysOf(kit, user.email, caller);

  return signInWork(kit, caller, claimant(user), async (w) => {
    const lock = await kit.lockout.check(w.tx, keys);
    if (lock.locked) return w.refuse(SignInLockedError(), { action, reason: `${lock.scope}_locked`, ...target }, "denied");

    let details: AuditEventInput["details"] = {};
    let failure: string | null = null;
    if ("code" in factor) {
      const outcome = await acceptTotp(kit, w.tx, user.id, factor.code);
      if (outcome !== "ok") failure = outcome;
    } else if ("passkey" in factor) {
      const outcome = await acceptPasskey(kit, w.tx, pending, factor.passkey);
      if (outcome.ok) details = { passkeyId: outcome.passkeyId };
      else failure = outcome.reason;
    } else if (await redeemRecoveryCode(w.tx, user.id, factor.recoveryCode, kit.settings.now())) {
      details = { recoveryCodesLeft: await remainingRecoveryCodes(w.tx, user.id) };
    } else failure = "invalid_code";

    if (failure !== null) {
      // The refusal commits the counters and what the attempt spent (a passkey challenge).
      await countFailure(kit, w, user.email, caller, target);
      const error = "passkey" in factor ? PasskeyRejectedError() : MfaCodeInvalidError();
      return w.refuse(error, { action, reason: failure, ...target, details: { at: iso(kit.settings.now()) } }, "failure");
    }
    await kit.sessions.revoke(w.tx, pending.id);
    await kit.lockout.clear(w.tx, keys.account);
    const issued = await kit.sessions.create(w.tx, { userId: user.id, kind: "full", userAgent: caller.userAgent, ip: caller.ip });
    w.record({ action, outcome: "success", ...target, details: { ...details, sessionId: issued.session.id, replacedSessionId: pending.id } });
    return issued;
  });
}
