import { mfaRequired } from "../../access/policy/policy.js";
import { isRole } from "../../access/policy/roles.js";
import { InvalidCredentialsError, SignInLockedError } from "../../platform/errors.js";
import { hashPassword, verifyPassword } from "../users/passwords.js";
import { accountKey, ipKey } from "./lockout.js";
import { hasPasskey } from "./passkeys.js";
import type { IssuedSession, SessionKind } from "./session-store.js";
import { commitEvents, countFailure, append, type CallerFacts, type SignInServices } from "./sign-in-services.js";

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
  const target = { targetType: "user", targetId: user?.id ?? null, actorId: user?.id ?? null, actorRole: user?.role ?? null };

  const lock = await db.transaction().execute((tx) => kit.lockout.check(tx, { account: accountKey(email), ip: caller.ip ? ipKey(caller.ip) : null }));
  if (lock.locked) {
    await commitEvents(kit, async () => [{ action: "auth.login", outcome: "denied", reason: `${lock.scope}_locked`, requestId: caller.requestId, ...target }]);
    throw SignInLockedError();
  }

  const passwordOk = await verifyPassword(user?.password_hash ?? (await dummy()), input.password);
  if (!user || !passwordOk || user.status !== "active" || !isRole(user.role)) {
    const reason = !user ? "unknown_email" : !passwordOk ? "wrong_password" : "user_disabled";
    await commitEvents(kit, (tx) => countFailure(kit, tx, email, caller, { action: "auth.login", outcome: "failure", reason, ...target }));
    throw InvalidCredentialsError();
  }

  // A passkey is a second factor as good as TOTP: it satisfies a role's MFA requirement too.
  const enrolled =
    (await db.selectFrom("totp_enrolments").select("user_id").where("user_id", "=", user.id).where("confirmed_at", "is not", null).executeTakeFirst()) ??
    (await hasPasskey(db, user.id));
  const kind: SessionKind = enrolled ? "mfa" : mfaRequired(user.role) ? "enrolment" : "full";
  const issued = await db.transaction().execute(async (tx) => {
    // The account's failure count resets only once every factor is in: otherwise a known
    // password could reset it between guesses at the second factor.
    if (kind === "full") await kit.lockout.clear(tx, accountKey(email));
    const issued = await kit.sessions.create(tx, { userId: user.id, kind, userAgent: caller.userAgent, ip: caller.ip });
    await append(kit, tx, [
      {
        action: "auth.login",
        outcome: "success",
        reason: STATUS[kind],
        requestId: caller.requestId,
        ...target,
        details: { sessionId: issued.session.id, sessionKind: kind },
      },
    ]);
    return issued;
  });
  return { status: STATUS[kind], issued };
}
