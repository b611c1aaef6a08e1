/**
 * A signed-in user looks after their own authenticator (issue #15): new recovery codes, a new
 * authenticator in place of the old one, or none at all where the role allows it. Every change
 * needs a factor proven again in the same request (factor-proof.ts), so a borrowed session is not enough.
 */
import { authorizeTotpRemoval } from "../../access/policy/policy.js";
import type { Role } from "../../access/policy/roles.js";
import type { Tx } from "../../platform/db/engine.js";
import { TotpEnrolmentNotStartedError } from "../../platform/errors.js";
import { type FactorProof, proofIssue, refuseWrongProof, withProvenFactors } from "./factor-proof.js";
import { hasPasskey } from "./passkeys.js";
import { issueRecoveryCodes, remainingRecoveryCodes } from "./recovery-codes.js";
import { totpBinding } from "./second-factor.js";
import { iso } from "./settings.js";
import type { CallerFacts, SignInServices } from "./sign-in-services.js";
import { checkTotp, newTotpSecret, totpUri } from "./totp.js";

// The waiting seed is sealed under its own binding, so it cannot be passed off as the current one.
const pendingBinding = (userId: string) => ({ ...totpBinding(userId), field: "pending_secret" });

const confirmedEnrolment = (tx: Tx, userId: string) =>
  tx
    .selectFrom("totp_enrolments")
    .select(["secret_ct", "pending_secret_ct", "pending_at"])
    .where("user_id", "=", userId)
    .where("confirmed_at", "is not", null)
    .executeTakeFirst();

/** What the account page shows: whether an authenticator is on, may be turned off, and how many codes are left. */
export async function secondFactorStatus(kit: SignInServices, userId: string, role: Role) {
  const db = kit.services.engine.db;
  const row = await db.selectFrom("totp_enrolments").select(["confirmed_at", "pending_at"]).where("user_id", "=", userId).executeTakeFirst();
  const required = authorizeTotpRemoval({ userId, role }).effect === "deny";
  return {
    totp: {
      enrolled: Boolean(row?.confirmed_at),
      required,
      enrolledAt: row?.confirmed_at ?? null,
      replacementPending: Boolean(row?.confirmed_at && row.pending_at),
    },
    recoveryCodesLeft: row?.confirmed_at ? await remainingRecoveryCodes(db, userId) : 0,
    passkeys: Boolean(await hasPasskey(db, userId)),
  };
}

/** Ten new recovery codes, shown once; the old ones stop working. Needs the password or a fresh authenticator code. */
export async function regenerateRecoveryCodes(kit: SignInServices, userId: string, proof: FactorProof, caller: CallerFacts): Promise<string[]> {
  const action = "auth.recovery_codes.issue";
  return withProvenFactors(kit, userId, proof, caller, action, async (w, user) => {
    const event = { action, targetType: "user", targetId: user.id };
    if (!(await confirmedEnrolment(w.tx, user.id)))
      return w.refuse(TotpEnrolmentNotStartedError(), { ...event, reason: "totp_enrolment_not_started" }, "failure");
    const codes = await issueRecoveryCodes(w.tx, user.id, kit.settings.now());
    // The count and how the user proved themselves: never a code.
    w.record({ ...event, outcome: "success", details: { count: codes.length, provedBy: proof.code !== undefined ? "code" : "password" } });
    return codes;
  });
}

/**
 * Starts replacing the authenticator: proven with a code from the current one (or a recovery code,
 * for a lost phone), a new seed waits beside the current one, which keeps working until confirmed.
 */
export async function startTotpReplacement(
  kit: SignInServices,
  userId: string,
  proof: FactorProof,
  caller: CallerFacts,
): Promise<{ secret: string; uri: string }> {
  const action = "auth.totp.replace";
  const secret = newTotpSecret();
  return withProvenFactors(kit, userId, proof, caller, action, async (w, user) => {
    const event = { action, targetType: "user", targetId: user.id };
    if (!(await confirmedEnrolment(w.tx, user.id)))
      return w.refuse(TotpEnrolmentNotStartedError(), { ...event, reason: "totp_enrolment_not_started" }, "failure");
    await w.tx
      .updateTable("totp_enrolments")
      .set({ pending_secret_ct: kit.services.vault.sealSecret(pendingBinding(user.id), secret), pending_at: iso(kit.settings.now()) })
      .where("user_id", "=", user.id)
      .execute();
    w.record({ ...event, outcome: "success", details: { provedBy: proof.code !== undefined ? "code" : "recovery_code" } });
    return { secret, uri: totpUri(secret, user.email) };
  });
}

/** A first code from the new authenticator switches to it; from then on the old one's codes are refused. */
export async function confirmTotpReplacement(kit: SignInServices, userId: string, code: string, caller: CallerFacts): Promise<{ replacedAt: string }> {
  const action = "auth.totp.replace_confirm";
  return withProvenFactors(kit, userId, {}, caller, action, async (w, user) => {
    const event = { action, targetType: "user", targetId: user.id };
    const row = await confirmedEnrolment(w.tx, user.id);
    if (!row?.pending_secret_ct) return w.refuse(TotpEnrolmentNotStartedError(), { ...event, reason: "totp_enrolment_not_started" }, "failure");
    const secret = kit.services.vault.openSecret(pendingBinding(user.id), row.pending_secret_ct);
    const check = checkTotp(secret, code, kit.settings.now(), null);
    if (!check.ok) return refuseWrongProof(kit, w, user, caller, action, [proofIssue("code", check.reason)]);
    const replacedAt = iso(kit.settings.now());
    await w.tx
      .updateTable("totp_enrolments")
      .set({
        secret_ct: kit.services.vault.sealSecret(totpBinding(user.id), secret),
        confirmed_at: replacedAt,
        last_step: check.step,
        pending_secret_ct: null,
        pending_at: null,
      })
      .where("user_id", "=", user.id)
      .execute();
    w.record({ ...event, outcome: "success", details: { replacedAt } });
    return { replacedAt };
  });
}

/**
 * Turns the authenticator off (and with it the recovery codes): only where the role does not require
 * a second factor, and only with the password and a current code. A passkey, if any, stays.
 */
export async function removeTotp(
  kit: SignInServices,
  userId: string,
  role: Role,
  proof: Required<Pick<FactorProof, "password" | "code">>,
  caller: CallerFacts,
) {
  const action = "auth.totp.remove";
  const decision = authorizeTotpRemoval({ userId, role });
  // The policy first: a role that requires the factor spends no code and counts no failure.
  return withProvenFactors(kit, userId, decision.effect === "allow" ? proof : {}, caller, action, async (w, user) => {
    const event = { action, targetType: "user", targetId: user.id };
    if (decision.effect === "deny") return w.deny(decision, event);
    if (!(await confirmedEnrolment(w.tx, user.id)))
      return w.refuse(TotpEnrolmentNotStartedError(), { ...event, reason: "totp_enrolment_not_started" }, "failure");
    await w.tx.deleteFrom("recovery_codes").where("user_id", "=", user.id).execute();
    await w.tx.deleteFrom("totp_enrolments").where("user_id", "=", user.id).execute();
    w.record({ ...event, outcome: "success" });
    return { removed: true as const };
  });
}
