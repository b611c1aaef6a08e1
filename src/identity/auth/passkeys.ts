import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { RequestContext } from "../../access/policy/actor.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Db, Tx } from "../../platform/db/engine.js";
import { NotFoundError, PasskeyNoneError, PasskeyRegistrationFailedError } from "../../platform/errors.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Session } from "./session-store.js";
import { iso } from "./settings.js";
import { type CallerFacts, claimant, holder, type SignInServices, signInWork } from "./sign-in-services.js";

/**
 * Passkeys (WebAuthn) as a second factor beside TOTP. Registration needs a full session; at
 * sign-in an assertion completes a pending ("mfa") session through the same path as a TOTP code
 * (second-factor.ts). Each ceremony's challenge is stored against the session that asked for it,
 * lives two minutes and is spent by the first verification, right or wrong.
 */

/** Who the browser must believe it talks to: the RP ID (a host name) and the exact page origin. */
export interface RelyingParty {
  readonly id: string;
  readonly origin: string;
}

export type Ceremony = "registration" | "authentication";
export const CHALLENGE_TTL_MS = 2 * 60_000;
/** What the browser is told to wait for the authenticator; below the challenge's lifetime. */
const CEREMONY_TIMEOUT_MS = 60_000;
const RP_NAME = "Custodia";

export interface PasskeySummary {
  id: string;
  label: string;
  transports: string[];
  createdAt: string;
  lastUsedAt: string | null;
}

export interface PasskeyAssertion {
  response: AuthenticationResponseJSON;
  rp: RelyingParty;
}

const toBytes = (base64url: string) => new Uint8Array(Buffer.from(base64url, "base64url"));
const transportsOf = (stored: string): string[] => {
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === "string") : [];
};

/** A user with at least one passkey is asked for a second factor after the password. */
export const hasPasskey = (db: Db | Tx, userId: string) => db.selectFrom("passkeys").select("id").where("user_id", "=", userId).limit(1).executeTakeFirst();

export async function listPasskeys(db: Db, userId: string): Promise<PasskeySummary[]> {
  const rows = await db
    .selectFrom("passkeys")
    .select(["id", "label", "transports", "created_at", "last_used_at"])
    .where("user_id", "=", userId)
    .orderBy("created_at", "asc")
    .execute();
  return rows.map((r) => ({ id: r.id, label: r.label, transports: transportsOf(r.transports), createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

/** Replaces the session's open challenge for this ceremony; expired ones of any session go too. */
async function storeChallenge(tx: Tx, sessionId: string, ceremony: Ceremony, challenge: string, nowMs: number): Promise<void> {
  await tx.deleteFrom("webauthn_challenges").where("expires_at", "<=", iso(nowMs)).execute();
  await tx.deleteFrom("webauthn_challenges").where("session_id", "=", sessionId).where("ceremony", "=", ceremony).execute();
  await tx
    .insertInto("webauthn_challenges")
    .values({ session_id: sessionId, ceremony, challenge, expires_at: iso(nowMs + CHALLENGE_TTL_MS) })
    .execute();
}

/**
 * Takes the session's open challenge out of the store. Only the request whose delete removed the
 * row gets it, so two concurrent verifications cannot both use one challenge.
 */
async function spendChallenge(
  tx: Tx,
  sessionId: string,
  ceremony: Ceremony,
  nowMs: number,
): Promise<{ challenge: string } | { failure: "challenge_missing" | "challenge_expired" }> {
  const row = await tx
    .selectFrom("webauthn_challenges")
    .select(["challenge", "expires_at"])
    .where("session_id", "=", sessionId)
    .where("ceremony", "=", ceremony)
    .executeTakeFirst();
  if (!row) return { failure: "challenge_missing" };
  const spent = await tx
    .deleteFrom("webauthn_challenges")
    .where("session_id", "=", sessionId)
    .where("ceremony", "=", ceremony)
    .where("challenge", "=", row.challenge)
    .executeTakeFirst();
  if (Number(spent.numDeletedRows) !== 1) return { failure: "challenge_missing" };
  if (row.expires_at <= iso(nowMs)) return { failure: "challenge_expired" };
  return { challenge: row.challenge };
}

/**
 * The library says why it refused only in English prose; the audit log wants a stable code.
 * The message itself goes nowhere.
 */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/counter/i.test(message)) return "counter_not_increasing";
  if (/challenge/i.test(message)) return "challenge_mismatch";
  if (/origin/i.test(message)) return "origin_mismatch";
  if (/rp ?id/i.test(message)) return "rp_id_mismatch";
  return "response_invalid";
}

/** Registration, step one: options for navigator.credentials.create(), with the challenge kept for this session. */
export async function startPasskeyRegistration(
  kit: SignInServices,
  session: Session,
  rp: RelyingParty,
  caller: CallerFacts,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const db = kit.services.engine.db;
  const user = await db.selectFrom("users").select(["id", "email", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const existing = await db.selectFrom("passkeys").select(["credential_id", "transports"]).where("user_id", "=", user.id).execute();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.id,
    userName: user.email,
    // The user handle the authenticator keeps: the account's id, never a name or an email.
    userID: new TextEncoder().encode(user.id),
    timeout: CEREMONY_TIMEOUT_MS,
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await signInWork(kit, caller, holder(user), async (w) => {
    await storeChallenge(w.tx, session.id, "registration", options.challenge, kit.settings.now());
    w.record({ action: "auth.passkey.register.start", outcome: "success", targetType: "user", targetId: user.id });
  });
  return options;
}

/** Registration, step two: verifies the authenticator's attestation and keeps the credential. */
export async function finishPasskeyRegistration(
  kit: SignInServices,
  session: Session,
  input: { label: string; response: RegistrationResponseJSON },
  rp: RelyingParty,
  caller: CallerFacts,
): Promise<PasskeySummary> {
  const db = kit.services.engine.db;
  const user = await db.selectFrom("users").select(["id", "role"]).where("id", "=", session.userId).executeTakeFirstOrThrow();
  const event = { action: "auth.passkey.register", targetType: "user", targetId: user.id };
  const now = iso(kit.settings.now());
  return signInWork(kit, caller, holder(user), async (w) => {
    // A refusal commits the spent challenge: a failed verification must not leave it usable.
    const fail = (reason: string) => w.refuse(PasskeyRegistrationFailedError(), { ...event, reason }, "failure");
    const spent = await spendChallenge(w.tx, session.id, "registration", kit.settings.now());
    if ("failure" in spent) return fail(spent.failure);
    let credential;
    try {
      const verified = await verifyRegistrationResponse({
        response: input.response,
        expectedChallenge: spent.challenge,
        expectedOrigin: rp.origin,
        expectedRPID: rp.id,
        requireUserVerification: false,
      });
      if (!verified.verified) return fail("response_invalid");
      credential = verified.registrationInfo.credential;
    } catch (error) {
      return fail(reasonOf(error));
    }
    const taken = await w.tx.selectFrom("passkeys").select("id").where("credential_id", "=", credential.id).executeTakeFirst();
    if (taken) return fail("credential_exists");
    const row = {
      id: uuidv7(),
      user_id: user.id,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: JSON.stringify(credential.transports ?? input.response.response.transports ?? []),
      label: input.label,
      created_at: now,
      last_used_at: null,
    };
    await w.tx.insertInto("passkeys").values(row).execute();
    w.record({ ...event, outcome: "success", details: { passkeyId: row.id, transports: transportsOf(row.transports) } });
    return { id: row.id, label: row.label, transports: transportsOf(row.transports), createdAt: now, lastUsedAt: null };
  });
}

/** Removes one of the caller's own passkeys; another user's id answers 404 like an unknown one. */
export async function removePasskey(kit: SignInServices, ctx: RequestContext, passkeyId: string): Promise<void> {
  await runAudited(kit.services, ctx, async (w) => {
    const target = { action: "auth.passkey.remove", targetType: "passkey", targetId: passkeyId };
    const removed = await w.tx.deleteFrom("passkeys").where("id", "=", passkeyId).where("user_id", "=", ctx.actor.userId).executeTakeFirst();
    if (Number(removed.numDeletedRows) !== 1) return w.refuse(NotFoundError("Passkey"), { ...target, reason: "not_found" }, "failure");
    w.record({ ...target, outcome: "success" });
  });
}

/** Sign-in, after the password: options for navigator.credentials.get() naming the user's passkeys. */
export async function startPasskeySignIn(
  kit: SignInServices,
  pending: Session,
  rp: RelyingParty,
  caller: CallerFacts,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const db = kit.services.engine.db;
  const user = await db.selectFrom("users").select(["id", "role"]).where("id", "=", pending.userId).executeTakeFirstOrThrow();
  const event = { action: "auth.passkey.challenge", targetType: "user", targetId: user.id };
  return signInWork(kit, caller, claimant(user), async (w) => {
    const credentials = await w.tx.selectFrom("passkeys").select(["credential_id", "transports"]).where("user_id", "=", user.id).execute();
    if (credentials.length === 0) return w.refuse(PasskeyNoneError(), { ...event, reason: "passkey_none" }, "failure");
    const options = await generateAuthenticationOptions({
      rpID: rp.id,
      allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
      timeout: CEREMONY_TIMEOUT_MS,
      userVerification: "preferred",
    });
    await storeChallenge(w.tx, pending.id, "authentication", options.challenge, kit.settings.now());
    w.record({ ...event, outcome: "success" });
    return options;
  });
}

/**
 * Checks an assertion inside the sign-in transaction: the session's challenge (spent here), one of
 * the user's own credentials, its signature, origin and RP ID, and a counter that moves forward.
 * The counter is written only if it is still the one checked, so a concurrent replay loses.
 * User verification is not required: the passkey is the possession factor after the password.
 */
export async function acceptPasskey(
  kit: SignInServices,
  tx: Tx,
  pending: Session,
  assertion: PasskeyAssertion,
): Promise<{ ok: true; passkeyId: string } | { ok: false; reason: string }> {
  const now = kit.settings.now();
  const spent = await spendChallenge(tx, pending.id, "authentication", now);
  if ("failure" in spent) return { ok: false, reason: spent.failure };
  const row = await tx
    .selectFrom("passkeys")
    .selectAll()
    .where("credential_id", "=", assertion.response.id)
    .where("user_id", "=", pending.userId)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "unknown_credential" };
  const counter = Number(row.counter);
  let newCounter: number;
  try {
    const result = await verifyAuthenticationResponse({
      response: assertion.response,
      expectedChallenge: spent.challenge,
      expectedOrigin: assertion.rp.origin,
      expectedRPID: assertion.rp.id,
      credential: { id: row.credential_id, publicKey: toBytes(row.public_key), counter, transports: transportsOf(row.transports) },
      requireUserVerification: false,
    });
    if (!result.verified) return { ok: false, reason: "response_invalid" };
    newCounter = result.authenticationInfo.newCounter;
  } catch (error) {
    return { ok: false, reason: reasonOf(error) };
  }
  const moved = await tx
    .updateTable("passkeys")
    .set({ counter: newCounter, last_used_at: iso(now) })
    .where("id", "=", row.id)
    .where("counter", "=", counter)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return { ok: false, reason: "counter_not_increasing" };
  return { ok: true, passkeyId: row.id };
}
