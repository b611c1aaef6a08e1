import { MfaCodeInvalidError, TotpAlreadyEnrolledError, TotpEnrolmentNotStartedError } from "../../platform/errors.js";
import { issueRecoveryCodes } from "./recovery-codes.js";
import { totpBinding } from "./second-factor.js";
import type { IssuedSession, Session } from "./session-store.js";
import { iso } from "./settings.js";
import { type CallerFacts, claimant, countFailure, holder, type SignInServices, signInWork } from "./sign-in-services.js";
import { checkTotp, newTotpSecret, totpUri } from "./totp.js";

/**
 * Starts (or restarts) authenticator enrolment: a new seed, sealed by the vault, returned once as
 * a secret and an otpauth:// URI. An account with a confirmed authenticator cannot replace it here.
 */
export async function startTotpEnrolment(kit: SignInServices, session: Session, caller: CallerFacts): Promise<{ secret: string; uri: string }> {
  const { services } = kit;
  const user = await services.engine.db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const secret = newTotpSecret();
  const event = { action: "auth.totp.enrol", targetType: "user", targetId: user.id };
  // An enrolment-only session has not proven the account yet; a full one has.
  await signInWork(kit, caller, session.kind === "full" ? holder(user) : claimant(user), async (w) => {
    const existing = await w.tx.selectFrom("totp_enrolments").select("confirmed_at").where("user_id", "=", user.id).executeTakeFirst();
    if (existing?.confirmed_at) return w.refuse(TotpAlreadyEnrolledError(), { ...event, reason: "totp_already_enrolled" }, "failure");
    await w.tx.deleteFrom("totp_enrolments").where("user_id", "=", user.id).execute();
    await w.tx
      .insertInto("totp_enrolments")
      .values({
        user_id: user.id,
        secret_ct: services.vault.sealSecret(totpBinding(user.id), secret),
        created_at: iso(kit.settings.now()),
        confirmed_at: null,
        last_step: null,
        pending_secret_ct: null,
        pending_at: null,
      })
      .execute();
    w.record({ ...event, outcome: "success" });
  });
  return { secret, uri: totpUri(secret, user.email) };
}

/**
 * Confirms enrolment with a first code from the app. Returns ten recovery codes (shown once)
 * and, when the caller held an enrolment-only session, a full session replacing it.
 */
export async function confirmTotpEnrolment(
  kit: SignInServices,
  session: Session,
  code: string,
  caller: CallerFacts,
): Promise<{ recoveryCodes: string[]; issued: IssuedSession | null }> {
  const { services } = kit;
  const user = await services.engine.db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const event = { action: "auth.totp.confirm", targetType: "user", targetId: user.id };
  return signInWork(kit, caller, session.kind === "full" ? holder(user) : claimant(user), async (w) => {
    const row = await w.tx.selectFrom("totp_enrolments").select(["secret_ct", "confirmed_at"]).where("user_id", "=", user.id).executeTakeFirst();
    if (!row) return w.refuse(TotpEnrolmentNotStartedError(), { ...event, reason: "totp_enrolment_not_started" }, "failure");
    if (row.confirmed_at) return w.refuse(TotpAlreadyEnrolledError(), { ...event, reason: "totp_already_enrolled" }, "failure");
    const check = checkTotp(services.vault.openSecret(totpBinding(user.id), row.secret_ct), code, kit.settings.now(), null);
    if (!check.ok) {
      await countFailure(kit, w, user.email, caller, event);
      return w.refuse(MfaCodeInvalidError(), { ...event, reason: check.reason }, "failure");
    }
    await w.tx
      .updateTable("totp_enrolments")
      .set({ confirmed_at: iso(kit.settings.now()), last_step: check.step })
      .where("user_id", "=", user.id)
      .execute();
    const recoveryCodes = await issueRecoveryCodes(w.tx, user.id, kit.settings.now());
    let issued: IssuedSession | null = null;
    if (session.kind === "enrolment") {
      await kit.sessions.revoke(w.tx, session.id);
      issued = await kit.sessions.create(w.tx, { userId: user.id, kind: "full", userAgent: caller.userAgent, ip: caller.ip });
    }
    w.record({ ...event, outcome: "success", details: { recoveryCodes: recoveryCodes.length, sessionId: issued?.session.id ?? session.id } });
    return { recoveryCodes, issued };
  });
}
