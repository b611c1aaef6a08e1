import { createHmac } from "node:crypto";
import { decrypt, encrypt } from "./aes-gcm.js";

/**
 * The master key as the vault sees it: something that wraps and unwraps (KEKs, the root secret)
 * without handing out its bytes. An HSM or a transit engine keeps the key; only the file provider
 * (and tests) hold it in process memory.
 */
export interface MasterKey {
  /**
   * Names this key without revealing it (a PKCS#11 label, a transit key, a key id of a file key).
   * Stored beside what it wrapped, so every server finds the right key after a rotation.
   */
  readonly ref: string;
  wrap(plaintext: Buffer, aad: Buffer): Promise<Buffer>;
  /** Throws DecryptionError when `wrapped` was not wrapped by this key with this `aad`. */
  unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
  /** Transit only: re-encrypts under the engine's newest key version inside the engine. */
  rewrap?(wrapped: Buffer, aad: Buffer): Promise<Buffer>;
}

export type KeyProviderKind = "file" | "pkcs11" | "transit";

/** How a provider replaces its master key (custodia keys rotate-master). */
export interface MasterKeyRotation {
  /** Makes the successor key beside the current one, which stays usable until `commit`. */
  prepare(): Promise<MasterKey>;
  /**
   * Runs once the database holds everything re-wrapped by `next`: the successor becomes the
   * key this provider starts with. Returns where the old key was kept, if anywhere.
   */
  commit(next: MasterKey): Promise<string | null>;
}

/**
 * Supplies the master key. `masterKey(ref)` returns the key the database names (after a rotation,
 * the successor); without a ref, the configured key (created for a new vault where allowed). A
 * provider may answer raw bytes (tests, benchmarks): the vault then holds them as a LocalMasterKey.
 */
export interface KeyProvider {
  readonly description: string;
  readonly kind?: KeyProviderKind;
  masterKey(ref?: string | null): Promise<MasterKey | Buffer>;
  readonly rotation?: MasterKeyRotation;
}

export const MASTER_KEY_BYTES = 32;

/** A non-secret identifier of a key held in memory: 64 bits of an HMAC under the key itself. */
export const masterKeyId = (key: Buffer) => createHmac("sha256", key).update("custodia/master-key-id/v1").digest().subarray(0, 8).toString("hex");

/**
 * A master key whose bytes are in process memory (the file provider, tests). It wraps with the
 * vault's own AES-256-GCM format, exactly as before providers existed, so old KEKs still open.
 */
export class LocalMasterKey implements MasterKey {
  readonly #key: Buffer;
  readonly ref: string;

  constructor(key: Buffer, kind = "local") {
    if (key.length !== MASTER_KEY_BYTES) throw new Error(`a master key is ${MASTER_KEY_BYTES} bytes`);
    this.#key = Buffer.from(key);
    this.ref = `${kind}:${masterKeyId(key)}`;
  }

  async wrap(plaintext: Buffer, aad: Buffer): Promise<Buffer> {
    return encrypt(this.#key, plaintext, aad);
  }

  async unwrap(wrapped: Buffer, aad: Buffer): Promise<Buffer> {
    return decrypt(this.#key, wrapped, aad);
  }

  /**
   * The legacy root: a vault that has no stored root secret (every file-key vault before 0024)
   * derives its blind-index, MAC and signing keys from these bytes, so nothing derived changes.
   */
  static legacyRoot(key: LocalMasterKey): Buffer {
    return Buffer.from(key.#key);
  }
}

export const asMasterKey = (key: MasterKey | Buffer): MasterKey => (Buffer.isBuffer(key) ? new LocalMasterKey(key) : key);

export { FileKeyProvider } from "./providers/file-key-provider.js";
