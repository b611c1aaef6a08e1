import { mfaRequired } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";
import { InvalidCredentialsError, SignInLockedError } from "../../platform/errors.js";
import { hashPassword, verifyPassword } from "../users/passwords.js";
import { hasPasskey } from "./passkeys.js";
import type { IssuedSession, SessionKind } from "./session-store.js";
import { type CallerFacts, claimant, countFailure, keysOf, refuseAttempt, type SignInServices, signInWork } from "./sign-in-services.js";

export type SignInStatus = "signed_in" | "mfa_required" | "enrolment_required";

export interface PasswordSignInResult {
  status: SignInStatus;
  issued: IssuedSession;
}

// An unknown email is checked against this hash so it costs the same argon2id work as a real one.
let dummyHash: Promise<string> | null = null;
const dummy = () => (dummyHash ??= hashPassword(`custodia-dummy-${Math.random()}`));

const STATUS: Record<SessionKind, SignInStatus> = { full: "signed_in", mfa: "mfa_required", enrolment: "enrolment_required" };

/**
 * Step one of staff sign-in: email and password. A user with TOTP or a passkey gets a short session
 * that can only present a second factor; a role that needs TOTP but has none gets one that can only enrol; anyone
 * else is signed in. Unknown email, wrong password and disabled account give the same error.
 */
export async function passwordSignIn(kit: SignInServices, input: { email: string; password: string }, caller: CallerFacts): Promise<PasswordSignInResult> {
  const db = kit.services.engine.db;
  const email = input.email.trim().toLowerCase();
  const user = await db.selectFrom("users").select(["id", "role", "status", "password_hash"]).where("email", "=", email).executeTakeFirst();
  const actor = claimant(user);
  const target = { targetType: "user", targetId: user?.id ?? null };
  const keys = keysOf(kit, email, caller);

  const lock = await kit.lockout.check(db, keys);
  if (lock.locked) return refuseAttempt(kit, caller, actor, SignInLockedError(), { action: "auth.login", reason: `${lock.scope}_locked`, ...target }, "denied");

  // Outside any transaction: argon2id takes a while and must not hold the database.
  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummy()), input.password);
  if (!user || !passwordOk || user.status !== "active" || !isRole(user.role)) {
    const reason = !user ? "unknown_email" : !passwordOk ? "wrong_password" : "user_disabled";
    return signInWork<never>(kit, caller, actor, async (w) => {
      await countFailure(kit, w, email, caller, target);
      return w.refuse(InvalidCredentialsError(), { action: "auth.login", reason, ...target }, "failure");
    });
  }

  // A passkey is a second factor as good as TOTP: it satisfies a role's MFA requirement too.
  const enrolled =
    (await db.selectFrom("totp_enrolments").select("user_id").where("user_id", "=", user.id).where("confirmed_at", "is not", null).executeTakeFirst()) ??
    (await hasPasskey(db, user.id));
  const kind: SessionKind = enrolled ? "mfa" : mfaRequired(user.role) ? "enrolment" : "full";
  const issued = await signInWork(kit, caller, actor, async (w) => {
    // The account's failure count resets only once every factor is in: otherwise a known
    // password could reset it between guesses at the second factor.
    if (kind === "full") await kit.lockout.clear(w.tx, keys.account);
    const issued = await kit.sessions.create(w.tx, { userId: user.id, kind, userAgent: caller.userAgent, ip: caller.ip });
    w.record({ action: "auth.login", outcome: "success", reason: STATUS[kind], ...target, details: { sessionId: issued.session.id, sessionKind: kind } });
    return issued;
  });
  return { status: STATUS[kind], issued };
}
