import { randomBytes } from "node:crypto";
import pkcs11js from "pkcs11js";
import { ConfigError } from "../../platform/config.js";
import { DecryptionError } from "../aes-gcm.js";
import type { KeyProvider, MasterKey, MasterKeyRotation } from "../key-provider.js";

export interface Pkcs11Settings {
  readonly module: string;
  readonly tokenLabel: string;
  /** Read when the session logs in; never kept in the configuration's printable fields. */
  readonly pin: () => string;
  /** The first master key's label; rotations add `.v2`, `.v3` … */
  readonly keyLabel: string;
}

const FORMAT_PKCS11_GCM = 0x02;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KIND = "pkcs11";

// C_Initialize may run once per process and library: every provider on a module shares it.
const libraries = new Map<string, pkcs11js.PKCS11>();
function library(module: string): pkcs11js.PKCS11 {
  let lib = libraries.get(module);
  if (lib) return lib;
  lib = new pkcs11js.PKCS11();
  try {
    lib.load(module);
  } catch {
    throw new ConfigError(`Cannot load the PKCS#11 module ${module}; check CUSTODIA_PKCS11_MODULE.`);
  }
  try {
    lib.C_Initialize();
  } catch (error) {
    if (!isCode(error, "CKR_CRYPTOKI_ALREADY_INITIALIZED")) throw error;
  }
  libraries.set(module, lib);
  return lib;
}

const isCode = (error: unknown, code: string) => error instanceof Error && error.message.startsWith(code);

/**
 * The master key is an AES-256 secret-key object in a PKCS#11 token (an HSM; SoftHSM2 in tests),
 * generated inside it, sensitive and not extractable: its bytes never reach this process.
 *
 * Wrapping is CKM_AES_GCM with a random 96-bit IV and a 128-bit tag, stored as
 * `0x02 | IV | ciphertext‖tag`. GCM rather than CKM_AES_KEY_WRAP_PAD because it authenticates
 * associated data: a wrapped KEK stays bound to its version (and the root to its role), exactly as
 * with the file provider; key-wrap-pad has no associated data, and most tokens allow it only for
 * C_WrapKey on key objects, not on the bytes Custodia holds. A master key wraps a handful of
 * values in its life, far below GCM's random-IV limit.
 */
export class Pkcs11KeyProvider implements KeyProvider {
  readonly kind = KIND;
  readonly #settings: Pkcs11Settings;
  readonly #create: boolean;
  #session: pkcs11js.Handle | null = null;

  constructor(settings: Pkcs11Settings, options: { create: boolean } = { create: true }) {
    this.#settings = settings;
    this.#create = options.create;
  }

  get description(): string {
    return `pkcs11:${this.#settings.module} token "${this.#settings.tokenLabel}" key "${this.#settings.keyLabel}"`;
  }

  async masterKey(ref?: string | null): Promise<MasterKey> {
    const label = ref ? this.#labelOf(ref) : this.#settings.keyLabel;
    const handle = this.#find(label) ?? (!ref && this.#create ? this.#generate(label) : null);
    if (!handle) {
      throw new ConfigError(
        `The master key "${label}" is not in PKCS#11 token "${this.#settings.tokenLabel}"; restore the token (or its backup) that holds it.`,
      );
    }
    this.#checkUnexportable(handle, label);
    return this.#masterKey(label, handle);
  }

  readonly rotation: MasterKeyRotation = {
    prepare: async () => {
      // The next free version: an earlier, abandoned attempt leaves its object unused, never reused.
      const base = this.#settings.keyLabel;
      let version = 2;
      for (const label of this.#labels()) {
        const match = label.startsWith(`${base}.v`) ? /^\d+$/.exec(label.slice(base.length + 2)) : null;
        if (match) version = Math.max(version, Number(match[0]) + 1);
      }
      const label = `${base}.v${version}`;
      return this.#masterKey(label, this.#generate(label));
    },
    // The old key object stays in the token: backups taken before the rotation need it.
    commit: async () => null,
  };

  /** Only this provider's family of labels: a tampered database cannot point at another key. */
  #labelOf(ref: string): string {
    const label = ref.startsWith(`${KIND}:`) ? ref.slice(KIND.length + 1) : "";
    const base = this.#settings.keyLabel;
    if (label !== base && !(label.startsWith(`${base}.v`) && /^\d+$/.test(label.slice(base.length + 2)))) {
      throw new ConfigError(`This database's master key (${ref}) is not a key of CUSTODIA_PKCS11_KEY_LABEL "${base}".`);
    }
    return label;
  }

  #masterKey(label: string, handle: pkcs11js.Handle): MasterKey {
    return {
      ref: `${KIND}:${label}`,
      wrap: async (plaintext, aad) => {
        const iv = randomBytes(IV_BYTES);
        const session = this.#open();
        const lib = library(this.#settings.module);
        lib.C_EncryptInit(session, gcm(iv, aad), handle);
        const sealed = lib.C_Encrypt(session, plaintext, Buffer.alloc(plaintext.length + TAG_BYTES));
        return Buffer.concat([Buffer.of(FORMAT_PKCS11_GCM), iv, sealed]);
      },
      unwrap: async (wrapped, aad) => {
        if (wrapped.length < 1 + IV_BYTES + TAG_BYTES || wrapped[0] !== FORMAT_PKCS11_GCM) throw new DecryptionError();
        const session = this.#open();
        const lib = library(this.#settings.module);
        lib.C_DecryptInit(session, gcm(wrapped.subarray(1, 1 + IV_BYTES), aad), handle);
        try {
          return Buffer.from(lib.C_Decrypt(session, wrapped.subarray(1 + IV_BYTES), Buffer.alloc(wrapped.length)));
        } catch {
          // Tokens differ in the code they give a failed tag (SoftHSM2: CKR_GENERAL_ERROR).
          throw new DecryptionError();
        }
      },
    };
  }

  #open(): pkcs11js.Handle {
    if (this.#session !== null) return this.#session;
    const lib = library(this.#settings.module);
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === this.#settings.tokenLabel);
    if (slot === undefined) throw new ConfigError(`No PKCS#11 token labelled "${this.#settings.tokenLabel}" in ${this.#settings.module}.`);
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      lib.C_Login(session, pkcs11js.CKU_USER, this.#settings.pin());
    } catch (error) {
      // Login is per application and token: another provider of this process may hold it.
      if (!isCode(error, "CKR_USER_ALREADY_LOGGED_IN")) {
        lib.C_CloseSession(session);
        if (isCode(error, "CKR_PIN_INCORRECT") || isCode(error, "CKR_PIN_LEN_RANGE"))
          throw new ConfigError(`The PKCS#11 PIN for token "${this.#settings.tokenLabel}" is wrong.`);
        throw error;
      }
    }
    this.#session = session;
    return session;
  }

  #find(label: string): pkcs11js.Handle | null {
    const lib = library(this.#settings.module);
    const session = this.#open();
    lib.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_LABEL, value: label },
    ]);
    try {
      const found = lib.C_FindObjects(session, 2);
      if (found.length > 1) throw new ConfigError(`PKCS#11 token "${this.#settings.tokenLabel}" holds two keys labelled "${label}"; keep one.`);
      return found[0] ?? null;
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  }

  #labels(): string[] {
    const lib = library(this.#settings.module);
    const session = this.#open();
    lib.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }]);
    let handles: pkcs11js.Handle[];
    try {
      handles = lib.C_FindObjects(session, 10_000);
    } finally {
      lib.C_FindObjectsFinal(session);
    }
    return handles.map((h) => String(lib.C_GetAttributeValue(session, h, [{ type: pkcs11js.CKA_LABEL }])[0]?.value ?? ""));
  }

  #generate(label: string): pkcs11js.Handle {
    const lib = library(this.#settings.module);
    return lib.C_GenerateKey(this.#open(), { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
      { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
      { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_ENCRYPT, value: true },
      { type: pkcs11js.CKA_DECRYPT, value: true },
      { type: pkcs11js.CKA_WRAP, value: false },
      { type: pkcs11js.CKA_UNWRAP, value: false },
    ]);
  }

  /** A key someone imported as extractable is a key file in disguise: refused. */
  #checkUnexportable(handle: pkcs11js.Handle, label: string): void {
    const lib = library(this.#settings.module);
    const [keyType, length, sensitive, extractable] = lib.C_GetAttributeValue(this.#open(), handle, [
      { type: pkcs11js.CKA_KEY_TYPE },
      { type: pkcs11js.CKA_VALUE_LEN },
      { type: pkcs11js.CKA_SENSITIVE },
      { type: pkcs11js.CKA_EXTRACTABLE },
    ]);
    const number = (v: unknown) => (Buffer.isBuffer(v) ? v.readUIntLE(0, Math.min(v.length, 6)) : Number(v));
    const flag = (v: unknown) => (Buffer.isBuffer(v) ? v[0] === 1 : v === true);
    if (number(keyType?.value) !== pkcs11js.CKK_AES || number(length?.value) !== 32) throw new ConfigError(`The PKCS#11 key "${label}" is not an AES-256 key.`);
    if (!flag(sensitive?.value) || flag(extractable?.value))
      throw new ConfigError(`The PKCS#11 key "${label}" is extractable or not sensitive; generate it inside the token as sensitive and non-extractable.`);
  }
}

const gcm = (iv: Buffer, aad: Buffer): pkcs11js.Mechanism => ({
  mechanism: pkcs11js.CKM_AES_GCM,
  // CK_GCM_PARAMS with ulIvBits (PKCS#11 2.40 errata and 3.0), the layout SoftHSM2 2.6 expects.
  parameter: { type: pkcs11js.CK_PARAMS_GCM, iv, ivBits: IV_BYTES * 8, aad, tagBits: TAG_BYTES * 8 } as pkcs11js.GcmParams,
});
