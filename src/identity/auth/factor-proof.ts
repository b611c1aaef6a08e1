import type { AuditedWork, Refusal } from "../../platform/audit/audited.js";
import { SignInLockedError, ValidationError, type FieldIssue } from "../../platform/errors.js";
import { verifyPassword } from "../users/passwords.js";
import { redeemRecoveryCode } from "./recovery-codes.js";
import { acceptTotp } from "./second-factor.js";
import { type CallerFacts, countFailure, holder, keysOf, refuseAttempt, type SignInServices, signInWork } from "./sign-in-services.js";

/** What a signed-in user presents again before changing their second factor; each use case says which it needs. */
export interface FactorProof {
  password?: string | undefined;
  /** A code from the enrolled authenticator (spent: it cannot be replayed at sign-in). */
  code?: string | undefined;
  /** One unused recovery code (spent). */
  recoveryCode?: string | undefined;
}

export interface ProvenUser {
  readonly id: string;
  readonly email: string;
  readonly role: string;
}

const MESSAGES = {
  wrong_password: "The current password is wrong.",
  invalid_code: "The code is wrong or expired.",
  replayed_code: "This code was already used; wait for the next one.",
} as const;
export const proofIssue = (field: keyof FactorProof, code: keyof typeof MESSAGES): FieldIssue => ({ field, code, message: MESSAGES[code] });

/**
 * Refuses an attempt whose proof was wrong: it counts as a failed sign-in (same account and address
 * lockout), so a borrowed session cannot be used to guess a password or codes.
 */
export async function refuseWrongProof(
  kit: SignInServices,
  w: AuditedWork,
  user: ProvenUser,
  caller: CallerFacts,
  action: string,
  issues: FieldIssue[],
): Promise<Refusal> {
  const target = { targetType: "user", targetId: user.id };
  await countFailure(kit, w, user.email, caller, target);
  return w.refuse(
    ValidationError(issues),
    { action, reason: issues[0]!.code, ...target, details: { fields: issues.map((i) => `${i.field}:${i.code}`) } },
    "failure",
  );
}

/**
 * Runs `work` in one audited unit of work once every factor in `proof` checks out. A locked account
 * or address is refused before anything is checked. The password is verified first, outside the
 * transaction (argon2id takes a while); a wrong one spends no authenticator step or recovery code.
 */
export async function withProvenFactors<T>(
  kit: SignInServices,
  userId: string,
  proof: FactorProof,
  caller: CallerFacts,
  action: string,
  work: (w: AuditedWork, user: ProvenUser) => Promise<T | Refusal>,
): Promise<T> {
  const db = kit.services.engine.db;
  const user = await db.selectFrom("users").select(["id", "email", "role", "password_hash"]).where("id", "=", userId).executeTakeFirstOrThrow();
  const keys = keysOf(kit, user.email, caller);
  const lock = await kit.lockout.check(db, keys);
  if (lock.locked)
    return refuseAttempt(
      kit,
      caller,
      holder(user),
      SignInLockedError(),
      { action, reason: `${lock.scope}_locked`, targetType: "user", targetId: user.id },
      "denied",
    );
  const passwordOk = proof.password === undefined || (user.password_hash !== null && (await verifyPassword(user.password_hash, proof.password)));
  return signInWork(kit, caller, holder(user), async (w) => {
    const issues: FieldIssue[] = [];
    if (!passwordOk) issues.push(proofIssue("password", "wrong_password"));
    else if (proof.code !== undefined) {
      const outcome = await acceptTotp(kit, w.tx, user.id, proof.code);
      if (outcome !== "ok") issues.push(proofIssue("code", outcome));
    } else if (proof.recoveryCode !== undefined && !(await redeemRecoveryCode(w.tx, user.id, proof.recoveryCode, kit.settings.now())))
      issues.push(proofIssue("recoveryCode", "invalid_code"));
    if (issues.length) return refuseWrongProof(kit, w, user, caller, action, issues);
    return work(w, user);
  });
}
