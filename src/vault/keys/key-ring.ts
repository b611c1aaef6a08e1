import { insertRows } from "../../platform/db/insert-rows.js";
import { prepared } from "../../platform/db/prepared.js";
import type { Tx } from "../../platform/db/engine.js";
import { DecryptionError, type DataKey, type Vault } from "../vault.js";
import { storedRoot } from "./vault-root.js";

// Every read of a client opens its key: compiled once.
const dataKeyOf = prepared((db, a: { clientId: string }) =>
  db.selectFrom("data_keys").select(["dek_version", "kek_version", "wrapped_key"]).where("client_id", "=", a.clientId),
);

/**
 * Connects the vault to the key tables: finds the active KEK version, loads KEKs on demand (another
 * server may have rotated), and stores, opens and shreds per-client data keys.
 */
export class KeyRing {
  constructor(readonly vault: Vault) {}

  async activeKekVersion(tx: Tx): Promise<number> {
    const row = await tx.selectFrom("key_versions").select("version").where("retired_at", "is", null).orderBy("version", "desc").limit(1).executeTakeFirst();
    if (!row) throw new Error("No active key-encryption key: run migrations and start the server once");
    await this.ensureKek(tx, row.version);
    return row.version;
  }

  async ensureKek(tx: Tx, version: number): Promise<void> {
    if (this.vault.hasKek(version)) return;
    const row = await tx.selectFrom("key_versions").select("wrapped_key").where("version", "=", version).executeTakeFirst();
    if (!row) throw new Error(`KEK version ${version} is missing`);
    try {
      await this.vault.loadKek(version, row.wrapped_key);
    } catch (error) {
      // Another process may have rotated the master key since this one opened: follow it once.
      if (!(error instanceof DecryptionError) || !(await this.followMaster(tx))) throw error;
      await this.vault.loadKek(version, row.wrapped_key);
    }
  }

  /**
   * Makes this vault wrap with the master key the database names now; true if it changed. KEKs
   * already in memory stay usable, so reads never wait for a rotation.
   */
  async followMaster(tx: Tx): Promise<boolean> {
    const root = await storedRoot(tx);
    if (!root || root.master_ref === this.vault.masterRef) return false;
    await this.vault.followMaster(root.master_ref);
    return true;
  }

  /** A new KEK wrapped by the database's current master key (call with the audit-chain lock held). */
  async createKek(tx: Tx, version: number): Promise<Buffer> {
    await this.followMaster(tx);
    return this.vault.createKek(version);
  }

  /** Creates the first KEK when the database has none (first start). */
  async initialise(tx: Tx, now: string): Promise<void> {
    const any = await tx.selectFrom("key_versions").select("version").limit(1).executeTakeFirst();
    if (any) return;
    await tx
      .insertInto("key_versions")
      .values({ version: 1, wrapped_key: await this.createKek(tx, 1), created_at: now, retired_at: null })
      .execute();
  }

  /**
   * Fresh data keys for new clients. `save` stores them wrapped; call it after the client rows
   * are inserted (the key rows reference them). Multi-row statements keep bulk imports fast.
   */
  async issueDataKeys(tx: Tx, clientIds: readonly string[], now: string): Promise<{ keys: DataKey[]; save(): Promise<void> }> {
    const version = await this.activeKekVersion(tx);
    const made = clientIds.map((id) => this.vault.newDataKey(id, version));
    return {
      keys: made.map((m) => m.dataKey),
      async save() {
        const rows = made.map(({ wrapped }) => ({
          client_id: wrapped.ownerId,
          dek_version: wrapped.dekVersion,
          kek_version: version,
          wrapped_key: wrapped.wrapped,
          created_at: now,
          destroyed_at: null,
        }));
        await insertRows(tx, "data_keys", rows, 1000);
      },
    };
  }

  /** Null when the key was shredded: the client's data is gone for good. */
  async openDataKey(tx: Tx, clientId: string): Promise<DataKey | null> {
    const [row] = await dataKeyOf(tx, { clientId });
    if (!row?.wrapped_key) return null;
    await this.ensureKek(tx, row.kek_version);
    return this.vault.openDataKey({ ownerId: clientId, dekVersion: row.dek_version, kekVersion: row.kek_version, wrapped: row.wrapped_key });
  }

  /** Crypto-shredding: without its data key, every ciphertext of the client is noise. */
  async shred(tx: Tx, clientId: string, now: string): Promise<void> {
    await tx.updateTable("data_keys").set({ wrapped_key: null, destroyed_at: now }).where("client_id", "=", clientId).execute();
  }
}
