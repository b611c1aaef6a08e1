import { checkTransitAddr, ConfigError } from "../../platform/config.js";
import { DecryptionError } from "../aes-gcm.js";
import type { KeyProvider, MasterKey, MasterKeyRotation } from "../key-provider.js";

export interface TransitSettings {
  /** https://vault.example:8200 (http only on a loopback address). */
  readonly addr: string;
  /** Read per request; never kept in the configuration's printable fields. */
  readonly token: () => string;
  readonly mount: string;
  readonly key: string;
}

const KIND = "transit";
const TIMEOUT_MS = 10_000;

/**
 * The master key is a named key of a HashiCorp Vault / OpenBao transit secrets engine; Custodia
 * sends it the KEKs to encrypt and decrypt and never sees the key. The stored value is the
 * engine's ciphertext string (`vault:v<version>:…`), which names the key version, so every
 * version the engine still allows decrypts and a rotation is the engine's own (keys/<key>/rotate)
 * followed by `rewrap`.
 *
 * The associated data travels inside the plaintext (length-prefixed) and is checked on decrypt,
 * rather than in `associated_data`: that parameter is recent and `rewrap` does not take it, while
 * the engine's AEAD authenticates the plaintext as a whole, which binds the AAD just the same.
 */
export class TransitKeyProvider implements KeyProvider {
  readonly kind = KIND;
  readonly #settings: TransitSettings;
  readonly #base: string;
  readonly #create: boolean;

  constructor(settings: TransitSettings, options: { create: boolean } = { create: true }) {
    this.#settings = settings;
    this.#create = options.create;
    this.#base = `${checkTransitAddr(settings.addr).origin}/v1/${settings.mount}`;
  }

  get description(): string {
    return `transit:${new URL(this.#settings.addr).origin} mount "${this.#settings.mount}" key "${this.#settings.key}"`;
  }

  get #ref(): string {
    return `${KIND}:${this.#settings.mount}/${this.#settings.key}`;
  }

  async masterKey(ref?: string | null): Promise<MasterKey> {
    if (ref && ref !== this.#ref) {
      throw new ConfigError(`This database's master key is ${ref}, not ${this.#ref}; check CUSTODIA_TRANSIT_MOUNT and CUSTODIA_TRANSIT_KEY.`);
    }
    // Fails early on a wrong address, token or key name, before anything is wrapped.
    if (!(await this.#call("GET", `keys/${this.#settings.key}`, undefined, !ref && this.#create))) {
      await this.#call("POST", `keys/${this.#settings.key}`, { type: "aes256-gcm96", exportable: false });
    }
    return this.#masterKey();
  }

  readonly rotation: MasterKeyRotation = {
    prepare: async () => {
      await this.#call("POST", `keys/${this.#settings.key}/rotate`, {});
      return this.#masterKey();
    },
    // Older versions stay in the engine (backups need them) until min_decryption_version is raised there.
    commit: async () => null,
  };

  #masterKey(): MasterKey {
    const key = this.#settings.key;
    return {
      ref: this.#ref,
      wrap: async (plaintext, aad) => {
        const data = await this.#call("POST", `encrypt/${key}`, { plaintext: framed(aad, plaintext).toString("base64") });
        return Buffer.from(stringField(data, "ciphertext"), "utf8");
      },
      unwrap: async (wrapped, aad) => {
        let data: unknown;
        try {
          data = await this.#call("POST", `decrypt/${key}`, { ciphertext: wrapped.toString("utf8") });
        } catch (error) {
          if (error instanceof TransitRefused) throw new DecryptionError();
          throw error;
        }
        return unframed(aad, Buffer.from(stringField(data, "plaintext"), "base64"));
      },
      rewrap: async (wrapped) => {
        const data = await this.#call("POST", `rewrap/${key}`, { ciphertext: wrapped.toString("utf8") });
        return Buffer.from(stringField(data, "ciphertext"), "utf8");
      },
    };
  }

  /** The answer's `data`; null for a missing key when `missingOk` (a new vault creates it). */
  async #call(method: "GET" | "POST", path: string, body?: unknown, missingOk = false): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}/${path}`, {
        method,
        headers: { "X-Vault-Token": this.#settings.token(), ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new ConfigError(`The transit engine at ${new URL(this.#settings.addr).origin} does not answer.`);
    }
    const text = await response.text();
    if (response.status === 403) throw new ConfigError("The transit engine refused the token (403); check CUSTODIA_TRANSIT_TOKEN and its policy.");
    if (response.status === 404 && method === "GET" && missingOk) return null;
    if (response.status === 404 && method === "GET")
      throw new ConfigError(`The transit key "${this.#settings.key}" does not exist at mount "${this.#settings.mount}".`);
    // 400: a ciphertext the key cannot open (another key, a version below min_decryption_version).
    if (response.status === 400) throw new TransitRefused();
    if (!response.ok) throw new Error(`transit ${path.split("/")[0]} failed with HTTP ${response.status}`);
    if (response.status === 204 || text === "") return {};
    return (JSON.parse(text) as { data?: unknown }).data ?? {};
  }
}

/** The engine's 400: never with the engine's message, which could echo input. */
class TransitRefused extends Error {
  constructor() {
    super("the transit engine refused the request");
  }
}

function stringField(data: unknown, field: string): string {
  const value = (data as Record<string, unknown> | null)?.[field];
  if (typeof value !== "string") throw new Error(`transit answer lacks ${field}`);
  return value;
}

function framed(aad: Buffer, plaintext: Buffer): Buffer {
  const length = Buffer.alloc(2);
  length.writeUInt16BE(aad.length);
  return Buffer.concat([length, aad, plaintext]);
}

function unframed(aad: Buffer, framedPlaintext: Buffer): Buffer {
  if (framedPlaintext.length < 2) throw new DecryptionError();
  const length = framedPlaintext.readUInt16BE(0);
  const given = framedPlaintext.subarray(2, 2 + length);
  if (length !== aad.length || !given.equals(aad)) throw new DecryptionError();
  return Buffer.from(framedPlaintext.subarray(2 + length));
}
