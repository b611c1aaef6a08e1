/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbKeyVersion {
  version: number;
  wrapped_key: Buffer;
  created_at: string;
  retired_at: string | null;
}

export interface DbDataKey {
  client_id: string;
  dek_version: number;
  kek_version: number;
  /** NULL once crypto-shredded. */
  wrapped_key: Buffer | null;
  created_at: string;
  destroyed_at: string | null;
}

/** The root secret (HKDF source of derived keys), wrapped by the master key named `master_ref`. */
export interface DbVaultRoot {
  /** Always 1: one root per vault. */
  id: number;
  wrapped_root: Buffer;
  /** Names the master key that wraps the root and every KEK (never key material). */
  master_ref: string;
  created_at: string;
  rotated_at: string | null;
}

export interface VaultTables {
  key_versions: DbKeyVersion;
  data_keys: DbDataKey;
  vault_root: DbVaultRoot;
}
