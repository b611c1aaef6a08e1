import { MfaCodeInvalidError, TotpAlreadyEnrolledError, TotpEnrolmentNotStartedError } from "../../platform/errors.js";
import { issueRecoveryCodes } from "./recovery-codes.js";
import { totpBinding } from "./second-factor.js";
import type { IssuedSession, Session } from "./session-store.js";
import { iso } from "./settings.js";
import { append, commitEvents, countFailure, type CallerFacts, type SignInServices } from "./sign-in-services.js";
import { checkTotp, newTotpSecret, totpUri } from "./totp.js";

/**
 * Starts (or restarts) authenticator enrolment: a new seed, sealed by the vault, returned once as
 * a secret and an otpauth:// URI. An account with a confirmed authenticator cannot replace it here.
 */
export async function startTotpEnrolment(kit: SignInServices, session: Session, caller: CallerFacts): Promise<{ secret: string; uri: string }> {
  const { services } = kit;
  const user = await services.engine.db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const secret = newTotpSecret();
  const event = { action: "auth.totp.enrol", actorId: user.id, actorRole: user.role, targetType: "user", targetId: user.id, requestId: caller.requestId };
  const started = await services.engine.db.transaction().execute(async (tx) => {
    const existing = await tx.selectFrom("totp_enrolments").select("confirmed_at").where("user_id", "=", user.id).executeTakeFirst();
    if (existing?.confirmed_at) {
      await append(kit, tx, [{ ...event, outcome: "failure", reason: "totp_already_enrolled" }]);
      return false;
    }
    await tx.deleteFrom("totp_enrolments").where("user_id", "=", user.id).execute();
    await tx
      .insertInto("totp_enrolments")
      .values({
        user_id: user.id,
        secret_ct: services.vault.sealSecret(totpBinding(user.id), secret),
        created_at: iso(kit.settings.now()),
        confirmed_at: null,
        last_step: null,
      })
      .execute();
    await append(kit, tx, [{ ...event, outcome: "success" }]);
    return true;
  });
  if (!started) throw TotpAlreadyEnrolledError();
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
  const db = services.engine.db;
  const user = await db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const row = await db.selectFrom("totp_enrolments").select(["secret_ct", "confirmed_at"]).where("user_id", "=", user.id).executeTakeFirst();
  const event = { action: "auth.totp.confirm", actorId: user.id, actorRole: user.role, targetType: "user", targetId: user.id, requestId: caller.requestId };
  if (!row || row.confirmed_at) {
    await commitEvents(kit, async () => [{ ...event, outcome: "failure", reason: row ? "totp_already_enrolled" : "totp_enrolment_not_started" }]);
    throw row ? TotpAlreadyEnrolledError() : TotpEnrolmentNotStartedError();
  }
  const check = checkTotp(services.vault.openSecret(totpBinding(user.id), row.secret_ct), code, kit.settings.now(), null);
  if (!check.ok) {
    await commitEvents(kit, (tx) => countFailure(kit, tx, user.email, caller, { ...event, outcome: "failure", reason: check.reason }));
    throw MfaCodeInvalidError();
  }
  return db.transaction().execute(async (tx) => {
    await tx
      .updateTable("totp_enrolments")
      .set({ confirmed_at: iso(kit.settings.now()), last_step: check.step })
      .where("user_id", "=", user.id)
      .execute();
    const recoveryCodes = await issueRecoveryCodes(tx, user.id, kit.settings.now());
    let issued: IssuedSession | null = null;
    if (session.kind === "enrolment") {
      await kit.sessions.revoke(tx, session.id);
      issued = await kit.sessions.create(tx, { userId: user.id, kind: "full", userAgent: caller.userAgent, ip: caller.ip });
    }
    await append(kit, tx, [{ ...event, outcome: "success", details: { recoveryCodes: recoveryCodes.length, sessionId: issued?.session.id ?? session.id } }]);
    return { recoveryCodes, issued };
  });
}

/** New recovery codes replace all old ones; needs a full session (checked by the route). */
export async function regenerateRecoveryCodes(kit: SignInServices, userId: string, role: string, caller: CallerFacts): Promise<string[] | null> {
  return kit.services.engine.db.transaction().execute(async (tx) => {
    const enrolled = await tx.selectFrom("totp_enrolments").select("confirmed_at").where("user_id", "=", userId).executeTakeFirst();
    const event = { action: "auth.recovery_codes.issue", actorId: userId, actorRole: role, targetType: "user", targetId: userId, requestId: caller.requestId };
    if (!enrolled?.confirmed_at) {
      await append(kit, tx, [{ ...event, outcome: "failure", reason: "totp_enrolment_not_started" }]);
      return null;
    }
    const codes = await issueRecoveryCodes(tx, userId, kit.settings.now());
    await append(kit, tx, [{ ...event, outcome: "success", details: { count: codes.length } }]);
    return codes;
  });
}
