import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Services } from "../../platform/services.js";
import { asMasterKey, type KeyProvider, type MasterKeyRotation } from "../key-provider.js";
import { storedRoot } from "./vault-root.js";

export interface MasterRotationResult {
  /** The provider kind now holding the master key. */
  provider: string;
  /** Names the new master key (a label, a transit key, a key id): never key material. */
  masterRef: string;
  /** KEKs re-wrapped (every version, retired ones too). */
  keks: number;
  /** "rewrapped", or "stored" when a file-key vault's legacy root was stored for the first time. */
  root: "rewrapped" | "stored";
  /** Where the old key was kept, if the provider keeps it somewhere Custodia names (the file provider). */
  keptOldKey: string | null;
}

const EVENT = { action: "keys.master_rotated", targetType: "key", targetId: null, purpose: null } as const;

/**
 * Master-key rotation (ENC-3): a successor key is made beside the current one (a new key file, a
 * new token object, the transit engine's next key version); then, in one audited transaction under
 * the audit-chain lock, every KEK and the root secret are re-wrapped by it and the database names
 * it as the master key. Data keys and everything derived stay as they are, so reads go on
 * throughout: KEKs in memory stay valid, and another server that meets a KEK it cannot unwrap
 * follows the key the database names (KeyRing.followMaster).
 *
 * `to` moves the master key to another provider (a key file into an HSM); by default the current
 * provider rotates its own key.
 */
export async function rotateMasterKey(services: Services, ctx: RequestContext, options: { to?: KeyProvider } = {}): Promise<MasterRotationResult> {
  const current = services.vault.provider;
  const target = options.to ?? current;
  const { result, successor } = await runAudited(services, ctx, async (w) => {
    const decision = authorize(ctx.actor, "key.manage");
    if (decision.effect === "deny") return w.deny(decision, EVENT);
    await services.engine.lockAuditChain(w.tx); // one rotation, and no KEK creation, at a time across servers
    // Made before anything is re-wrapped; if this transaction fails, the unused successor stays behind harmlessly.
    const successor = asMasterKey(options.to ? await options.to.masterKey() : await rotationOf(current).prepare());
    await services.keyRing.followMaster(w.tx);
    const rows = await w.tx.selectFrom("key_versions").select(["version", "wrapped_key"]).orderBy("version").execute();
    for (const row of rows) {
      const wrapped = await services.vault.rewrapKek(Number(row.version), row.wrapped_key, successor);
      await w.tx.updateTable("key_versions").set({ wrapped_key: wrapped }).where("version", "=", row.version).execute();
    }
    const root = await storedRoot(w.tx);
    const wrappedRoot = await services.vault.rewrapRoot(root?.wrapped_root ?? null, successor);
    const now = new Date().toISOString();
    if (root) {
      await w.tx.updateTable("vault_root").set({ wrapped_root: wrappedRoot, master_ref: successor.ref, rotated_at: now }).where("id", "=", 1).execute();
    } else {
      await w.tx.insertInto("vault_root").values({ id: 1, wrapped_root: wrappedRoot, master_ref: successor.ref, created_at: now, rotated_at: now }).execute();
    }
    const provider = target.kind ?? "memory";
    const rootDone = root ? ("rewrapped" as const) : ("stored" as const);
    w.record({ ...EVENT, targetId: `master:${provider}`, outcome: "success", details: { provider, keks: rows.length, root: rootDone } });
    return { result: { provider, masterRef: successor.ref, keks: rows.length, root: rootDone }, successor };
  });

  services.vault.switchMaster(successor, target);
  // After the commit: a crash before this point leaves the successor where the provider finds it.
  const keptOldKey = options.to ? null : ((await rotationOf(current).commit(successor)) ?? null);
  return { ...result, keptOldKey };
}

function rotationOf(provider: KeyProvider): MasterKeyRotation {
  if (!provider.rotation) throw new Error(`the key provider ${provider.description} cannot rotate its master key`);
  return provider.rotation;
}
