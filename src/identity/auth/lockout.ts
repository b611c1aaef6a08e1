import type { Db, Tx } from "../../platform/db/engine.js";
import type { Vault } from "../../vault/vault.js";
import { iso, type SignInSettings } from "./settings.js";

/**
 * Failed sign-ins are counted per account and per client address. At the limit the subject is
 * locked for the base time, doubling with each further lock up to the maximum; a successful
 * sign-in clears the account's count. The account key is a MAC of the typed email, so an unknown
 * email locks exactly like a real one and the lock reveals nothing.
 */
export type ThrottleScope = "account" | "ip";

export interface ThrottleKeys {
  readonly account: string;
  readonly ip: string | null;
}

/**
 * Keyed by the vault (a MAC per purpose), never a plain hash: a copy of the table alone cannot be
 * matched against a list of emails or addresses, and no address is kept in clear.
 */
export const accountKey = (vault: Vault, email: string) => `account:${vault.mac("lockout.account", email.trim().toLowerCase())}`;
export const ipKey = (vault: Vault, ip: string) => `ip:${vault.mac("lockout.ip", ip)}`;
export const throttleKeys = (vault: Vault, email: string, ip: string | null): ThrottleKeys => ({
  account: accountKey(vault, email),
  ip: ip ? ipKey(vault, ip) : null,
});

export interface LockState {
  locked: boolean;
  scope: ThrottleScope | null;
  until: string | null;
}

export class Lockout {
  constructor(readonly settings: SignInSettings) {}

  /** The first active lock among the keys, if any. */
  async check(db: Db | Tx, keys: ThrottleKeys): Promise<LockState> {
    const now = iso(this.settings.now());
    const wanted = [keys.account, ...(keys.ip ? [keys.ip] : [])];
    const rows = await db.selectFrom("sign_in_throttles").select(["key", "locked_until"]).where("key", "in", wanted).execute();
    const hit = rows.find((r) => r.locked_until !== null && r.locked_until > now);
    if (!hit) return { locked: false, scope: null, until: null };
    return { locked: true, scope: hit.key.startsWith("ip:") ? "ip" : "account", until: hit.locked_until };
  }

  /**
   * Counts one failure; returns the lock it triggered, if any. Callers hold the audit-chain lock
   * (they append the failure event in the same transaction), which serialises these updates.
   */
  async recordFailure(tx: Tx, key: string, scope: ThrottleScope): Promise<{ lockedUntil: string } | null> {
    const now = this.settings.now();
    const limit = scope === "account" ? this.settings.accountFailureLimit : this.settings.ipFailureLimit;
    const row = await tx.selectFrom("sign_in_throttles").selectAll().where("key", "=", key).executeTakeFirst();
    const failures = (row?.failures ?? 0) + 1;
    const lockouts = row?.lockouts ?? 0;
    let lockedUntil: string | null = row?.locked_until ?? null;
    let next = { failures, lockouts };
    let triggered: { lockedUntil: string } | null = null;
    if (failures >= limit) {
      const length = Math.min(this.settings.lockoutBaseMs * 2 ** lockouts, this.settings.lockoutMaxMs);
      lockedUntil = iso(now + length);
      next = { failures: 0, lockouts: lockouts + 1 };
      triggered = { lockedUntil };
    }
    const values = { ...next, locked_until: lockedUntil, updated_at: iso(now) };
    if (row) await tx.updateTable("sign_in_throttles").set(values).where("key", "=", key).execute();
    else
      await tx
        .insertInto("sign_in_throttles")
        .values({ key, ...values })
        .execute();
    return triggered;
  }

  async clear(tx: Tx, key: string): Promise<void> {
    await tx.deleteFrom("sign_in_throttles").where("key", "=", key).execute();
  }
}
