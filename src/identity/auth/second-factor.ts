import type { AuditEventInput } from "../../platform/audit/audit-event.js";
import type { Tx } from "../../platform/db/engine.js";
import { MfaCodeInvalidError, PasskeyRejectedError, SessionRequiredError, SignInLockedError } from "../../platform/errors.js";
import { accountKey, ipKey } from "./lockout.js";
import { acceptPasskey, type PasskeyAssertion } from "./passkeys.js";
import { redeemRecoveryCode, remainingRecoveryCodes } from "./recovery-codes.js";
import type { IssuedSession, Session } from "./session-store.js";
import { iso } from "./settings.js";
import { append, commitEvents, countFailure, type CallerFacts, type SignInServices } from "./sign-in-services.js";
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
  const actor = { actorId: user.id, actorRole: user.role, targetType: "user", targetId: user.id };
  const action = "code" in factor ? "auth.totp" : "passkey" in factor ? "auth.passkey" : "auth.recovery_code";

  const lock = await db.transaction().execute((tx) => kit.lockout.check(tx, { account: accountKey(user.email), ip: caller.ip ? ipKey(caller.ip) : null }));
  if (lock.locked) {
    await commitEvents(kit, async () => [{ action, outcome: "denied", reason: `${lock.scope}_locked`, requestId: caller.requestId, ...actor }]);
    throw SignInLockedError();
  }

  const result = await db.transaction().execute(async (tx): Promise<{ issued: IssuedSession } | { failure: string }> => {
    let details: AuditEventInput["details"] = {};
    if ("code" in factor) {
      const outcome = await acceptTotp(kit, tx, user.id, factor.code);
      if (outcome !== "ok") return { failure: outcome };
    } else if ("passkey" in factor) {
      const outcome = await acceptPasskey(kit, tx, pending, factor.passkey);
      if (!outcome.ok) return { failure: outcome.reason };
      details = { passkeyId: outcome.passkeyId };
    } else {
      if (!(await redeemRecoveryCode(tx, user.id, factor.recoveryCode, kit.settings.now()))) return { failure: "invalid_code" };
      details = { recoveryCodesLeft: await remainingRecoveryCodes(tx, user.id) };
    }
    await kit.sessions.revoke(tx, pending.id);
    await kit.lockout.clear(tx, accountKey(user.email));
    const issued = await kit.sessions.create(tx, { userId: user.id, kind: "full", userAgent: caller.userAgent, ip: caller.ip });
    await append(kit, tx, [
      {
        action,
        outcome: "success",
        requestId: caller.requestId,
        ...actor,
        details: { ...details, sessionId: issued.session.id, replacedSessionId: pending.id },
      },
    ]);
    return { issued };
  });
  if ("issued" in result) return result.issued;
  await commitEvents(kit, (tx) =>
    countFailure(kit, tx, user.email, caller, { action, outcome: "failure", reason: result.failure, ...actor, details: { at: iso(kit.settings.now()) } }),
  );
  throw "passkey" in factor ? PasskeyRejectedError() : MfaCodeInvalidError();
}
