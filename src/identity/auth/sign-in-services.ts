import { type AuditActor, type AuditedWork, type Refusal, runUnitOfWork } from "../../platform/audit/audited.js";
import type { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { Lockout, throttleKeys, type ThrottleKeys } from "./lockout.js";
import { SessionStore } from "./session-store.js";
import { signInSettings, type SignInSettings } from "./settings.js";

/** What every sign-in use case needs, built once per server. */
export interface SignInServices {
  readonly services: Services;
  readonly settings: SignInSettings;
  readonly sessions: SessionStore;
  readonly lockout: Lockout;
}

/** Facts about the caller that travel into sessions and audit events. */
export interface CallerFacts {
  readonly requestId: string;
  readonly ip: string | null;
  /** Already summarised ("Firefox 128 on Windows"). */
  readonly userAgent: string | null;
}

export function createSignInServices(services: Services, overrides: Partial<SignInSettings> = {}): SignInServices {
  const settings = signInSettings(overrides);
  return Object.freeze({ services, settings, sessions: new SessionStore(services.engine.db, settings), lockout: new Lockout(settings) });
}

type Account = { readonly id: string; readonly role: string };

/** The account a sign-in step claims, if it exists: not proven until the step succeeds. */
export const claimant = (user: Account | null | undefined): AuditActor => ({ kind: "signing_in", userId: user?.id ?? null, role: user?.role ?? null });

/** A signed-in staff member managing their own credentials. */
export const holder = (user: Account): AuditActor => ({ kind: "staff", userId: user.id, role: user.role });

/** A sign-in step's unit of work: one transaction with its audit events, no purpose. */
export const signInWork = <T>(kit: SignInServices, caller: CallerFacts, actor: AuditActor, work: (w: AuditedWork) => Promise<T | Refusal>): Promise<T> =>
  runUnitOfWork(kit.services, { actor, requestId: caller.requestId, purpose: null }, work);

/** Commits the audit event of an attempt refused before anything was tried (a lock), then throws. */
export const refuseAttempt = (
  kit: SignInServices,
  caller: CallerFacts,
  actor: AuditActor,
  error: AppError,
  event: Parameters<AuditedWork["refuse"]>[1],
  outcome: "denied" | "failure",
): Promise<never> => signInWork<never>(kit, caller, actor, async (w) => w.refuse(error, event, outcome));

export const keysOf = (kit: SignInServices, email: string, caller: CallerFacts): ThrottleKeys => throttleKeys(kit.services.vault, email, caller.ip);

/**
 * Counts a failed attempt against the account and the address, and records the lock it
 * triggered, if any, so that it stands when the caller then refuses the attempt (`w.refuse`
 * commits these counters with its event). Takes the audit-chain lock first, which serialises the
 * counters among servers as well as the chain.
 */
export async function countFailure(
  kit: SignInServices,
  w: AuditedWork,
  email: string,
  caller: CallerFacts,
  target: { targetType: string; targetId: string | null },
) {
  await kit.services.engine.lockAuditChain(w.tx);
  const keys = keysOf(kit, email, caller);
  const lock = async (key: string, scope: "account" | "ip") => {
    const triggered = await kit.lockout.recordFailure(w.tx, key, scope);
    if (triggered) {
      w.recordEvenIfRefused({
        action: "auth.lockout",
        outcome: "denied",
        reason: `${scope}_locked`,
        ...target,
        details: { scope, until: triggered.lockedUntil },
      });
    }
  };
  await lock(keys.account, "account");
  if (keys.ip) await lock(keys.ip, "ip");
}
