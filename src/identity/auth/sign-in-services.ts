import type { AuditEventInput } from "../../platform/audit/audit-event.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { accountKey, ipKey, Lockout } from "./lockout.js";
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

/**
 * Counts a failed attempt against the account and the address and returns the audit events for
 * the failure and any lock it triggered. Takes the audit-chain lock first, which serialises the
 * counters among servers as well as the chain.
 */
export async function countFailure(kit: SignInServices, tx: Tx, email: string, caller: CallerFacts, failure: AuditEventInput): Promise<AuditEventInput[]> {
  await kit.services.engine.lockAuditChain(tx);
  const events: AuditEventInput[] = [{ ...failure, requestId: caller.requestId }];
  const lock = async (key: string, scope: "account" | "ip") => {
    const triggered = await kit.lockout.recordFailure(tx, key, scope);
    if (triggered) {
      events.push({
        action: "auth.lockout",
        outcome: "denied",
        reason: `${scope}_locked`,
        actorId: failure.actorId ?? null,
        actorRole: failure.actorRole ?? null,
        targetType: failure.targetType ?? null,
        targetId: failure.targetId ?? null,
        requestId: caller.requestId,
        details: { scope, until: triggered.lockedUntil },
      });
    }
  };
  await lock(accountKey(email), "account");
  if (caller.ip) await lock(ipKey(caller.ip), "ip");
  return events;
}

export const append = (kit: SignInServices, tx: Tx, events: readonly AuditEventInput[]) => kit.services.auditLog.append(tx, events);

/** Commits the events of a refused attempt, then lets the caller throw. */
export const commitEvents = (kit: SignInServices, work: (tx: Tx) => Promise<AuditEventInput[]>) =>
  kit.services.engine.db.transaction().execute(async (tx) => {
    await append(kit, tx, await work(tx));
  });
