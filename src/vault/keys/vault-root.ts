import { existsSync } from "node:fs";
import SQLite from "better-sqlite3";
import { ConfigError } from "../../platform/config.js";
import type { Engine, Tx } from "../../platform/db/engine.js";
import { DecryptionError } from "../aes-gcm.js";
import { asMasterKey, type KeyProvider, LocalMasterKey } from "../key-provider.js";
import { Vault } from "../vault.js";
import type { DbVaultRoot } from "./tables.js";

type StoredRoot = Pick<DbVaultRoot, "wrapped_root" | "master_ref">;

/**
 * Opens the vault of a database: its stored root secret unwrapped by the master key the database
 * names, or, where none is stored, the legacy rule (a file-key vault: the root is the key's bytes).
 * A new vault on an HSM or transit master key gets a random root here, under the audit-chain lock
 * so that servers starting together agree on one.
 */
export async function openVault(engine: Engine, provider: KeyProvider): Promise<Vault> {
  const stored = await engine.db.selectFrom("vault_root").select(["wrapped_root", "master_ref"]).where("id", "=", 1).executeTakeFirst();
  if (stored) return openStored(provider, stored);
  const external = provider.kind !== undefined && provider.kind !== "file";
  if (external && (await engine.db.selectFrom("key_versions").select("version").limit(1).executeTakeFirst())) throw notMoved();
  const master = asMasterKey(await provider.masterKey());
  if (master instanceof LocalMasterKey) return Vault.openLegacy(provider, master);
  return engine.db.transaction().execute(async (tx) => {
    await engine.lockAuditChain(tx);
    const again = await tx.selectFrom("vault_root").select(["wrapped_root", "master_ref"]).where("id", "=", 1).executeTakeFirst();
    if (again) return openStored(provider, again);
    if (await tx.selectFrom("key_versions").select("version").limit(1).executeTakeFirst()) throw notMoved();
    const { vault, wrappedRoot } = await Vault.create(provider, master);
    await tx
      .insertInto("vault_root")
      .values({ id: 1, wrapped_root: wrappedRoot, master_ref: master.ref, created_at: new Date().toISOString(), rotated_at: null })
      .execute();
    return vault;
  });
}

const notMoved = () =>
  new ConfigError(
    "This vault's keys are wrapped by a master key file and no root secret is stored: move the key with `custodia keys rotate-master --to <provider>` (with CUSTODIA_KEY_PROVIDER=file), then switch CUSTODIA_KEY_PROVIDER.",
  );

async function openStored(provider: KeyProvider, stored: StoredRoot): Promise<Vault> {
  const master = asMasterKey(await provider.masterKey(stored.master_ref));
  try {
    return await Vault.openWithRoot(provider, master, stored.wrapped_root);
  } catch (error) {
    if (error instanceof DecryptionError) {
      throw new ConfigError(`The master key ${master.ref} cannot unwrap this database's root secret; it is not this vault's key.`);
    }
    throw error;
  }
}

/** The stored root, in a transaction (rotation, KEK creation). */
export async function storedRoot(tx: Tx): Promise<(StoredRoot & { rotated_at: string | null }) | undefined> {
  return tx.selectFrom("vault_root").select(["wrapped_root", "master_ref", "rotated_at"]).where("id", "=", 1).executeTakeFirst();
}

/**
 * The vault of a SQLite file (a backup, or the live database beside it) without opening it for
 * writing: backups verify and restore with the root they were made with. A file from before
 * migration 0024, or a file-key vault that never rotated, has no stored root: the legacy rule.
 */
export async function openVaultOfSqliteFile(file: string, provider: KeyProvider): Promise<Vault> {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  let stored: StoredRoot | undefined;
  try {
    const hasTable = db.prepare("select 1 from sqlite_master where type = 'table' and name = 'vault_root'").get() !== undefined;
    stored = hasTable ? (db.prepare("select wrapped_root, master_ref from vault_root where id = 1").get() as StoredRoot | undefined) : undefined;
  } finally {
    db.close();
  }
  return stored ? openStored(provider, stored) : Vault.open(provider);
}

/**
 * The vault for verifying or restoring a SQLite backup: the live database's (it names the current
 * master key and holds this vault's root), else, if there is none or it does not open, the backup's own.
 */
export async function openVaultForBackup(liveFile: string, backupFile: string, provider: KeyProvider): Promise<Vault> {
  if (existsSync(liveFile)) {
    try {
      return await openVaultOfSqliteFile(liveFile, provider);
    } catch {
      // A damaged live database is a reason to restore: fall back to the backup's own root.
    }
  }
  // No backup file: the caller reports it; any vault will do until then.
  return existsSync(backupFile) ? openVaultOfSqliteFile(backupFile, provider) : Vault.open(provider);
}
