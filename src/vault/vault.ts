/**
 * The crypto barrier: the only module that holds key material or calls node:crypto for client
 * data. Everything else sees opaque ciphertext, blind-index strings and DataKey handles.
 *
 * Key hierarchy (ENC-3, ENC-4): master key (KeyProvider: a file, an HSM, a transit engine) →
 * versioned key-encryption keys (KEKs, stored wrapped by the master key) → one data key (DEK) per
 * client, stored wrapped by a KEK → field ciphertexts. Blind-index, MAC, account-secret and
 * checkpoint-signing keys are derived with HKDF from the root secret: random and stored wrapped
 * by the master key (keys/vault-root.ts), or, in a file-key vault that never stored one, the
 * master key's own bytes. The vault never needs the master key's bytes otherwise.
 */
import { createHmac, createPrivateKey, createPublicKey, hkdfSync, sign, verify, type KeyObject } from "node:crypto";
import type { Transform } from "node:stream";
import { DecryptionError, decrypt, encrypt, hasSealedShape, random } from "./aes-gcm.js";
import { createFileDecryptor, createFileEncryptor, type FileBinding, FileIntegrityError } from "./file-cipher.js";
import { asMasterKey, type KeyProvider, LocalMasterKey, type MasterKey } from "./key-provider.js";

export { DecryptionError };

const KEY_BYTES = 32;
/** Blind indexes keep 64 bits: collisions stay rare, and searches decrypt candidates anyway. */
const BLIND_INDEX_BYTES = 8;

/** Where a ciphertext lives. It is authenticated as associated data, so a copy elsewhere fails. */
export interface FieldBinding {
  table: string;
  recordId: string;
  field: string;
}

/**
 * Where a sealed file lives (incident evidence): its table, the record it belongs to (the
 * incident), its own id and the part (content, filename). All are authenticated, so a ciphertext
 * moved to another evidence row, or to another incident, fails to open.
 */
export interface BlobBinding {
  table: string;
  parentId: string;
  recordId: string;
  part: string;
}

/** A client's data key as stored: wrapped by the KEK of `kekVersion`. */
export interface WrappedDataKey {
  ownerId: string;
  dekVersion: number;
  kekVersion: number;
  wrapped: Buffer;
}

/** An unwrapped per-client data key. Its bytes never leave this module. */
export class DataKey {
  readonly #key: Buffer;
  readonly version: number;
  readonly ownerId: string;

  constructor(key: Buffer, ownerId: string, version: number, token: symbol) {
    if (token !== CONSTRUCT) throw new Error("DataKey is created by the vault only");
    this.#key = key;
    this.ownerId = ownerId;
    this.version = version;
  }

  /** @internal used by Vault only; module-private through the symbol check below. */
  static bytes(key: DataKey, token: symbol): Buffer {
    if (token !== CONSTRUCT) throw new Error("DataKey bytes are private to the vault");
    return key.#key;
  }
}
const CONSTRUCT = Symbol("vault");

/** Unwrapped data keys remembered (vault.openDataKey): the clients a busy firm reads within minutes. */
const OPENED_DATA_KEYS = 4_096;

const fieldAad = (b: FieldBinding, dekVersion: number) => Buffer.from(`custodia/field/v1\0${b.table}\0${b.recordId}\0${b.field}\0${dekVersion}`, "utf8");
const dekAad = (ownerId: string, dekVersion: number, kekVersion: number) => Buffer.from(`custodia/dek/v1\0${ownerId}\0${dekVersion}\0${kekVersion}`, "utf8");
const kekAad = (version: number) => Buffer.from(`custodia/kek/v1\0${version}`, "utf8");
const rootAad = Buffer.from("custodia/root/v1", "utf8");
const secretAad = (b: FieldBinding) => Buffer.from(`custodia/secret/v1\0${b.table}\0${b.recordId}\0${b.field}`, "utf8");

const blobAad = (b: BlobBinding, dekVersion: number) =>
  Buffer.from(`custodia/blob/v1\0${b.table}\0${b.parentId}\0${b.recordId}\0${b.part}\0${dekVersion}`, "utf8");

const fileKeyAad = (dataKey: DataKey, documentId: string) => Buffer.from(`custodia/file-key/v1\0${dataKey.ownerId}\0${dataKey.version}\0${documentId}`, "utf8");

const derive = (root: Buffer, info: string) => Buffer.from(hkdfSync("sha256", root, Buffer.from("custodia"), Buffer.from(info), KEY_BYTES));
const indexKeyOf = (root: Buffer, field: string) => derive(root, `blind-index/v1/${field}`);

// What Vault and SealingVault both do, written once.
function newDataKeyUnder(kek: Buffer, ownerId: string, kekVersion: number): { dataKey: DataKey; wrapped: WrappedDataKey } {
  const key = random(KEY_BYTES);
  const dekVersion = 1;
  const wrapped = encrypt(kek, key, dekAad(ownerId, dekVersion, kekVersion));
  return { dataKey: new DataKey(key, ownerId, dekVersion, CONSTRUCT), wrapped: { ownerId, dekVersion, kekVersion, wrapped } };
}
const sealField = (dataKey: DataKey, binding: FieldBinding, plaintext: string) =>
  encrypt(DataKey.bytes(dataKey, CONSTRUCT), Buffer.from(plaintext, "utf8"), fieldAad(binding, dataKey.version));
const blindIndexUnder = (key: Buffer, normalised: string) =>
  createHmac("sha256", key).update(normalised, "utf8").digest().subarray(0, BLIND_INDEX_BYTES).toString("hex");

/** Before anything is stored: a master key that wraps what it cannot unwrap would lose the vault. */
async function checkUnwraps(key: MasterKey, wrapped: Buffer, aad: Buffer, expected: Buffer): Promise<void> {
  if (!(await key.unwrap(wrapped, aad)).equals(expected)) throw new Error("the new master key does not unwrap what it wrapped");
}

// PKCS#8 prefix for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export class Vault {
  #provider: KeyProvider;
  #master: MasterKey;
  readonly #root: Buffer;
  readonly #keks = new Map<number, Buffer>();
  /** Data keys opened lately, by owner and versions, with the wrapped bytes they were opened from. */
  readonly #openedDataKeys = new Map<string, { wrapped: Buffer; key: DataKey }>();
  readonly #indexKeys = new Map<string, Buffer>();
  readonly #macKeys = new Map<string, Buffer>();
  readonly #signingKey: KeyObject;
  readonly #secretKey: Buffer;
  readonly checkpointPublicKey: string;

  private constructor(provider: KeyProvider, master: MasterKey, root: Buffer) {
    this.#provider = provider;
    this.#master = master;
    this.#root = root;
    this.#secretKey = derive(root, "account-secrets/aes-256-gcm/v1");
    const seed = derive(root, "audit-checkpoint/ed25519/v1");
    this.#signingKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: "der",
      type: "pkcs8",
    });
    const spki = createPublicKey(this.#signingKey).export({ format: "der", type: "spki" });
    this.checkpointPublicKey = spki.toString("base64");
  }

  /**
   * A vault whose root is the master key's own bytes (the legacy rule), for a provider that holds
   * the key in memory. Services open the vault through openVault (keys/vault-root.ts), which
   * reads the stored root first.
   */
  static async open(provider: KeyProvider): Promise<Vault> {
    const master = asMasterKey(await provider.masterKey());
    if (!(master instanceof LocalMasterKey)) throw new Error("this master key has no legacy root: open the vault with openVault");
    return Vault.openLegacy(provider, master);
  }

  static openLegacy(provider: KeyProvider, master: LocalMasterKey): Vault {
    return new Vault(provider, master, LocalMasterKey.legacyRoot(master));
  }

  /** A vault under a root secret stored wrapped by `master`. */
  static async openWithRoot(provider: KeyProvider, master: MasterKey, wrappedRoot: Buffer): Promise<Vault> {
    return new Vault(provider, master, await master.unwrap(wrappedRoot, rootAad));
  }

  /** A new vault with a random root secret, returned wrapped by `master`, ready to store. */
  static async create(provider: KeyProvider, master: MasterKey): Promise<{ vault: Vault; wrappedRoot: Buffer }> {
    const root = random(KEY_BYTES);
    return { vault: new Vault(provider, master, root), wrappedRoot: await master.wrap(root, rootAad) };
  }

  // --- the master key ------------------------------------------------------------------------

  /** Names the master key this vault wraps with (never its bytes). */
  get masterRef(): string {
    return this.#master.ref;
  }

  get provider(): KeyProvider {
    return this.#provider;
  }

  /** Switches to the master key the database now names (another process rotated it). */
  async followMaster(ref: string): Promise<void> {
    if (ref === this.#master.ref) return;
    const master = asMasterKey(await this.#provider.masterKey(ref));
    if (master.ref !== ref) throw new Error("the key provider answered another master key than the one named");
    this.#master = master;
  }

  /** After a committed master-key rotation: new KEKs are wrapped by `next` (of `provider` when it moved). */
  switchMaster(next: MasterKey, provider: KeyProvider = this.#provider): void {
    this.#master = next;
    this.#provider = provider;
  }

  /**
   * A stored KEK wrapped anew by `next`: through the transit engine's rewrap when both are the
   * same engine key, otherwise unwrapped here (or taken from memory) and wrapped by `next`.
   */
  async rewrapKek(version: number, wrapped: Buffer, next: MasterKey): Promise<Buffer> {
    const aad = kekAad(version);
    const kek = this.#keks.get(version) ?? (await this.#master.unwrap(wrapped, aad));
    this.#keks.set(version, kek);
    const out = next.rewrap && next.ref === this.#master.ref ? await next.rewrap(wrapped, aad) : await next.wrap(kek, aad);
    await checkUnwraps(next, out, aad, kek);
    return out;
  }

  /** The root secret wrapped by `next` (a file-key vault's legacy root is stored for the first time). */
  async rewrapRoot(wrapped: Buffer | null, next: MasterKey): Promise<Buffer> {
    const out = wrapped && next.rewrap && next.ref === this.#master.ref ? await next.rewrap(wrapped, rootAad) : await next.wrap(this.#root, rootAad);
    await checkUnwraps(next, out, rootAad, this.#root);
    return out;
  }

  // --- key-encryption keys -------------------------------------------------------------------

  /** Creates a fresh random KEK and returns it wrapped by the master key, ready to store. */
  async createKek(version: number): Promise<Buffer> {
    const kek = random(KEY_BYTES);
    this.#keks.set(version, kek);
    return this.#master.wrap(kek, kekAad(version));
  }

  hasKek(version: number): boolean {
    return this.#keks.has(version);
  }

  /** Loads a stored KEK; fails if it was wrapped by another master key or tampered with. */
  async loadKek(version: number, wrapped: Buffer): Promise<void> {
    this.#keks.set(version, await this.#master.unwrap(wrapped, kekAad(version)));
  }

  #kek(version: number): Buffer {
    const kek = this.#keks.get(version);
    if (!kek) throw new Error(`KEK version ${version} is not loaded`);
    return kek;
  }

  // --- data keys -----------------------------------------------------------------------------

  newDataKey(ownerId: string, kekVersion: number): { dataKey: DataKey; wrapped: WrappedDataKey } {
    return newDataKeyUnder(this.#kek(kekVersion), ownerId, kekVersion);
  }

  /**
   * Unwraps a stored data key. Recently opened keys are remembered by their exact wrapped bytes:
   * every read of a client opens its key, and the caller has just read those bytes from the
   * database, so a shredded key (no bytes left) or a re-wrapped one (other bytes) is never
   * answered from memory. The KEKs that unwrap every key are held here anyway.
   */
  openDataKey(stored: WrappedDataKey): DataKey {
    const id = `${stored.ownerId}\0${stored.dekVersion}\0${stored.kekVersion}`;
    const known = this.#openedDataKeys.get(id);
    if (known?.wrapped.equals(stored.wrapped)) {
      this.#openedDataKeys.delete(id); // re-inserted: Map order is the recency order
      this.#openedDataKeys.set(id, known);
      return known.key;
    }
    const aad = dekAad(stored.ownerId, stored.dekVersion, stored.kekVersion);
    const key = new DataKey(decrypt(this.#kek(stored.kekVersion), stored.wrapped, aad), stored.ownerId, stored.dekVersion, CONSTRUCT);
    if (this.#openedDataKeys.size >= OPENED_DATA_KEYS) this.#openedDataKeys.delete(this.#openedDataKeys.keys().next().value as string);
    this.#openedDataKeys.set(id, { wrapped: Buffer.from(stored.wrapped), key });
    return key;
  }

  /** Re-wraps a data key under another KEK version; the field ciphertexts stay as they are. */
  rewrap(stored: WrappedDataKey, toKekVersion: number): WrappedDataKey {
    const key = DataKey.bytes(this.openDataKey(stored), CONSTRUCT);
    const aad = dekAad(stored.ownerId, stored.dekVersion, toKekVersion);
    return { ...stored, kekVersion: toKekVersion, wrapped: encrypt(this.#kek(toKekVersion), key, aad) };
  }

  // --- fields --------------------------------------------------------------------------------

  seal(dataKey: DataKey, binding: FieldBinding, plaintext: string): Buffer {
    return sealField(dataKey, binding, plaintext);
  }

  open(dataKey: DataKey, binding: FieldBinding, sealed: Buffer): string {
    return decrypt(DataKey.bytes(dataKey, CONSTRUCT), sealed, fieldAad(binding, dataKey.version)).toString("utf8");
  }

  // --- files ---------------------------------------------------------------------------------

  /**
   * Seals bytes (an evidence file, up to a few MiB) under a data key of their own (newDataKey with
   * the record's id as owner): same AES-256-GCM format as fields, with a binding of its own kind.
   */
  sealBytes(dataKey: DataKey, binding: BlobBinding, plaintext: Buffer): Buffer {
    return encrypt(DataKey.bytes(dataKey, CONSTRUCT), plaintext, blobAad(binding, dataKey.version));
  }

  openBytes(dataKey: DataKey, binding: BlobBinding, sealed: Buffer): Buffer {
    return decrypt(DataKey.bytes(dataKey, CONSTRUCT), sealed, blobAad(binding, dataKey.version));
  }

  // --- client documents ----------------------------------------------------------------------

  /**
   * A fresh key for one document's files (all its versions), returned only wrapped by the client's
   * data key: erasing the client shreds its files with its fields. Key rotation re-wraps data keys,
   * so file keys never need touching.
   */
  newFileKey(dataKey: DataKey, documentId: string): Buffer {
    const key = random(KEY_BYTES);
    const wrapped = encrypt(DataKey.bytes(dataKey, CONSTRUCT), key, fileKeyAad(dataKey, documentId));
    key.fill(0);
    return wrapped;
  }

  /** A stream that encrypts one document version's plaintext (format in file-cipher.ts). */
  fileEncryptor(dataKey: DataKey, wrappedFileKey: Buffer, binding: FileBinding): Transform {
    const key = this.#openFileKey(dataKey, wrappedFileKey, binding.documentId);
    try {
      return createFileEncryptor(key, binding);
    } finally {
      key.fill(0); // the stream keeps only the derived segment key
    }
  }

  /**
   * A stream that decrypts one document version; it fails with FileIntegrityError on any tampering,
   * truncation or mismatch. Throws FileIntegrityError("key") at once when the wrapped key is not
   * this client's key for this document.
   */
  fileDecryptor(dataKey: DataKey, wrappedFileKey: Buffer, binding: FileBinding): Transform {
    const key = this.#openFileKey(dataKey, wrappedFileKey, binding.documentId);
    try {
      return createFileDecryptor(key, binding);
    } finally {
      key.fill(0);
    }
  }

  #openFileKey(dataKey: DataKey, wrapped: Buffer, documentId: string): Buffer {
    try {
      return decrypt(DataKey.bytes(dataKey, CONSTRUCT), wrapped, fileKeyAad(dataKey, documentId));
    } catch {
      throw new FileIntegrityError("key");
    }
  }

  /** Keyed, per-field HMAC of an already normalised value, for exact-match search. */
  blindIndex(field: string, normalised: string): string {
    let key = this.#indexKeys.get(field);
    if (!key) {
      key = indexKeyOf(this.#root, field);
      this.#indexKeys.set(field, key);
    }
    return blindIndexUnder(key, normalised);
  }

  /**
   * Copies of the keys that sealing new clients needs, for a SealingVault on a worker thread of
   * this process (a bulk import): the KEK of `kekVersion` and the blind-index keys of `fields`.
   * Never the root or the master key, so the thread can seal and index, and open nothing.
   */
  sealingKeys(kekVersion: number, fields: readonly string[]): SealingKeys {
    // Each in an ArrayBuffer of its own: a small Buffer may sit in Node's shared pool, and cloning
    // it to a thread would clone the whole pool slab, with whatever else is in it.
    const own = (key: Uint8Array) => new Uint8Array(key);
    return {
      kekVersion,
      kek: own(this.#kek(kekVersion)),
      indexKeys: Object.fromEntries(
        fields.map((f) => {
          const derived = indexKeyOf(this.#root, f);
          try {
            return [f, own(derived)];
          } finally {
            derived.fill(0);
          }
        }),
      ),
    };
  }

  /**
   * Keyed MAC (HMAC-SHA-256, untruncated, hex) under a key derived for `purpose`: lockout and
   * rate-limit keys, one-time code hashes, stateless challenges. Unlike a blind index it is not
   * for search, and one purpose's MACs cannot be matched against another's or a blind index's.
   */
  mac(purpose: string, data: string | Buffer): string {
    return this.macStream(purpose).update(data).digest();
  }

  /** The same MAC over data that arrives in pieces (a document streamed in); the key stays inside. */
  macStream(purpose: string): { update(data: string | Buffer): { digest(): string }; digest(): string } {
    let key = this.#macKeys.get(purpose);
    if (!key) {
      key = derive(this.#root, `mac/v1/${purpose}`);
      this.#macKeys.set(purpose, key);
    }
    const hmac = createHmac("sha256", key);
    const out = {
      update(data: string | Buffer) {
        hmac.update(data);
        return out;
      },
      digest: () => hmac.digest("hex"),
    };
    return out;
  }

  // --- account secrets -----------------------------------------------------------------------

  /**
   * Seals a staff account secret (a TOTP seed) under a key derived from the root secret: these
   * belong to no client, so they sit outside the per-client data keys and are never shredded
   * with one. Same AES-256-GCM format; the binding is authenticated, so a copy elsewhere fails.
   */
  sealSecret(binding: FieldBinding, plaintext: string): Buffer {
    return encrypt(this.#secretKey, Buffer.from(plaintext, "utf8"), secretAad(binding));
  }

  openSecret(binding: FieldBinding, sealed: Buffer): string {
    return decrypt(this.#secretKey, sealed, secretAad(binding)).toString("utf8");
  }

  // --- audit checkpoints ---------------------------------------------------------------------

  signCheckpoint(message: string): string {
    return sign(null, Buffer.from(message, "utf8"), this.#signingKey).toString("base64");
  }
}

/**
 * Whether stored bytes have the shape of a sealed field (format byte, IV and tag before the body),
 * checked without any key: it finds plaintext left in a ciphertext column, not forgeries, which
 * fail authentication when opened.
 */
export function isSealedFormat(value: unknown): boolean {
  return Buffer.isBuffer(value) && hasSealedShape(value);
}

/** Checks a checkpoint signature with only the public key, as an outside verifier would. */
export function verifyCheckpointSignature(publicKeySpki: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeySpki, "base64"), format: "der", type: "spki" });
    return verify(null, Buffer.from(message, "utf8"), key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

/** What a SealingVault is given (Vault#sealingKeys); plain data, so it crosses to a worker thread. */
export interface SealingKeys {
  readonly kekVersion: number;
  readonly kek: Uint8Array;
  readonly indexKeys: Readonly<Record<string, Uint8Array>>;
}

/** What writing a client's fields needs of a vault: the Vault itself, or a SealingVault. */
export type FieldSealer = Pick<Vault, "seal" | "blindIndex">;

/**
 * The sealing half of a vault, on a worker thread: new data keys wrapped by one KEK, fields sealed
 * under them, blind indexes under the keys it was given. It cannot unwrap or open anything.
 */
export class SealingVault implements FieldSealer {
  readonly kekVersion: number;
  readonly #kek: Buffer;
  readonly #indexKeys: Map<string, Buffer>;

  /** Takes the given bytes rather than copying them, so `destroy` zeroes the only copy this side holds. */
  constructor(keys: SealingKeys) {
    const taken = (key: Uint8Array) => Buffer.from(key.buffer, key.byteOffset, key.byteLength);
    this.kekVersion = keys.kekVersion;
    this.#kek = taken(keys.kek);
    this.#indexKeys = new Map(Object.entries(keys.indexKeys).map(([field, key]) => [field, taken(key)]));
  }

  newDataKey(ownerId: string): { dataKey: DataKey; wrapped: WrappedDataKey } {
    return newDataKeyUnder(this.#kek, ownerId, this.kekVersion);
  }

  seal(dataKey: DataKey, binding: FieldBinding, plaintext: string): Buffer {
    return sealField(dataKey, binding, plaintext);
  }

  blindIndex(field: string, normalised: string): string {
    const key = this.#indexKeys.get(field);
    if (!key) throw new Error(`no blind-index key for ${field} was given to this sealing vault`);
    return blindIndexUnder(key, normalised);
  }

  /** Zeroes the keys it holds (the thread is done). */
  destroy(): void {
    this.#kek.fill(0);
    for (const key of this.#indexKeys.values()) key.fill(0);
  }
}
