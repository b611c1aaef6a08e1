/**
 * The crypto barrier: the only module that holds key material or calls node:crypto for client
 * data. Everything else sees opaque ciphertext, blind-index strings and DataKey handles.
 *
 * Key hierarchy (ENC-3, ENC-4): master key (KeyProvider) → versioned key-encryption keys (KEKs,
 * stored wrapped by the master key) → one data key (DEK) per client, stored wrapped by a KEK →
 * field ciphertexts. Blind-index, MAC and checkpoint-signing keys are derived from the master key with HKDF.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  hkdfSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from "node:crypto";
import type { Transform } from "node:stream";
import { createFileDecryptor, createFileEncryptor, type FileBinding, FileIntegrityError } from "./file-cipher.js";
import type { KeyProvider } from "./key-provider.js";

const FORMAT_V1 = 0x01;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
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

export class DecryptionError extends Error {
  constructor() {
    // No detail: the message must never help an attacker or carry data.
    super("ciphertext cannot be decrypted with this key and binding");
    this.name = "DecryptionError";
  }
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

// One randomBytes call costs microseconds of fixed overhead; IVs and keys are sliced from a pool
// of CSPRNG output instead, and every slice handed out is zeroed in the pool.
const POOL_BYTES = 16 * 1024;
let pool = Buffer.alloc(0);
let poolOffset = 0;
function random(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolOffset = 0;
  }
  const slice = pool.subarray(poolOffset, poolOffset + n);
  poolOffset += n;
  const out = Buffer.from(slice);
  slice.fill(0);
  return out;
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): Buffer {
  const iv = random(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const out = Buffer.allocUnsafe(HEADER_BYTES + body.length);
  out[0] = FORMAT_V1;
  iv.copy(out, 1);
  cipher.getAuthTag().copy(out, 1 + IV_BYTES);
  body.copy(out, HEADER_BYTES);
  return out;
}

function decrypt(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < HEADER_BYTES || sealed[0] !== FORMAT_V1) throw new DecryptionError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.subarray(1, 1 + IV_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, HEADER_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(HEADER_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionError();
  }
}

const fieldAad = (b: FieldBinding, dekVersion: number) => Buffer.from(`custodia/field/v1\0${b.table}\0${b.recordId}\0${b.field}\0${dekVersion}`, "utf8");
const dekAad = (ownerId: string, dekVersion: number, kekVersion: number) => Buffer.from(`custodia/dek/v1\0${ownerId}\0${dekVersion}\0${kekVersion}`, "utf8");
const kekAad = (version: number) => Buffer.from(`custodia/kek/v1\0${version}`, "utf8");
const secretAad = (b: FieldBinding) => Buffer.from(`custodia/secret/v1\0${b.table}\0${b.recordId}\0${b.field}`, "utf8");

const blobAad = (b: BlobBinding, dekVersion: number) =>
  Buffer.from(`custodia/blob/v1\0${b.table}\0${b.parentId}\0${b.recordId}\0${b.part}\0${dekVersion}`, "utf8");

const fileKeyAad = (dataKey: DataKey, documentId: string) => Buffer.from(`custodia/file-key/v1\0${dataKey.ownerId}\0${dataKey.version}\0${documentId}`, "utf8");

const derive = (master: Buffer, info: string) => Buffer.from(hkdfSync("sha256", master, Buffer.from("custodia"), Buffer.from(info), KEY_BYTES));

// PKCS#8 prefix for a raw 32-byte Ed25519 seed (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

export class Vault {
  readonly #master: Buffer;
  readonly #keks = new Map<number, Buffer>();
  readonly #indexKeys = new Map<string, Buffer>();
  readonly #macKeys = new Map<string, Buffer>();
  readonly #signingKey: KeyObject;
  readonly #secretKey: Buffer;
  readonly checkpointPublicKey: string;

  private constructor(master: Buffer) {
    this.#master = master;
    this.#secretKey = derive(master, "account-secrets/aes-256-gcm/v1");
    const seed = derive(master, "audit-checkpoint/ed25519/v1");
    this.#signingKey = createPrivateKey({
      key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
      format: "der",
      type: "pkcs8",
    });
    const spki = createPublicKey(this.#signingKey).export({ format: "der", type: "spki" });
    this.checkpointPublicKey = spki.toString("base64");
  }

  static async open(provider: KeyProvider): Promise<Vault> {
    return new Vault(await provider.masterKey());
  }

  // --- key-encryption keys -------------------------------------------------------------------

  /** Creates a fresh random KEK and returns it wrapped by the master key, ready to store. */
  createKek(version: number): Buffer {
    const kek = random(KEY_BYTES);
    this.#keks.set(version, kek);
    return encrypt(this.#master, kek, kekAad(version));
  }

  hasKek(version: number): boolean {
    return this.#keks.has(version);
  }

  /** Loads a stored KEK; fails if it was wrapped by another master key or tampered with. */
  loadKek(version: number, wrapped: Buffer): void {
    this.#keks.set(version, decrypt(this.#master, wrapped, kekAad(version)));
  }

  #kek(version: number): Buffer {
    const kek = this.#keks.get(version);
    if (!kek) throw new Error(`KEK version ${version} is not loaded`);
    return kek;
  }

  // --- data keys -----------------------------------------------------------------------------

  newDataKey(ownerId: string, kekVersion: number): { dataKey: DataKey; wrapped: WrappedDataKey } {
    const key = random(KEY_BYTES);
    const dekVersion = 1;
    const wrapped = encrypt(this.#kek(kekVersion), key, dekAad(ownerId, dekVersion, kekVersion));
    return {
      dataKey: new DataKey(key, ownerId, dekVersion, CONSTRUCT),
      wrapped: { ownerId, dekVersion, kekVersion, wrapped },
    };
  }

  openDataKey(stored: WrappedDataKey): DataKey {
    const aad = dekAad(stored.ownerId, stored.dekVersion, stored.kekVersion);
    const key = decrypt(this.#kek(stored.kekVersion), stored.wrapped, aad);
    return new DataKey(key, stored.ownerId, stored.dekVersion, CONSTRUCT);
  }

  /** Re-wraps a data key under another KEK version; the field ciphertexts stay as they are. */
  rewrap(stored: WrappedDataKey, toKekVersion: number): WrappedDataKey {
    const key = DataKey.bytes(this.openDataKey(stored), CONSTRUCT);
    const aad = dekAad(stored.ownerId, stored.dekVersion, toKekVersion);
    return { ...stored, kekVersion: toKekVersion, wrapped: encrypt(this.#kek(toKekVersion), key, aad) };
  }

  // --- fields --------------------------------------------------------------------------------

  seal(dataKey: DataKey, binding: FieldBinding, plaintext: string): Buffer {
    return encrypt(DataKey.bytes(dataKey, CONSTRUCT), Buffer.from(plaintext, "utf8"), fieldAad(binding, dataKey.version));
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
      key = derive(this.#master, `blind-index/v1/${field}`);
      this.#indexKeys.set(field, key);
    }
    return createHmac("sha256", key).update(normalised, "utf8").digest().subarray(0, BLIND_INDEX_BYTES).toString("hex");
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
      key = derive(this.#master, `mac/v1/${purpose}`);
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
   * Seals a staff account secret (a TOTP seed) under a key derived from the master key: these
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
  return Buffer.isBuffer(value) && value.length >= HEADER_BYTES && value[0] === FORMAT_V1;
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
