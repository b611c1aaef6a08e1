import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ConfigError } from "../platform/config.js";

/**
 * Supplies the 256-bit master key that wraps every key-encryption key.
 * A KMS-backed provider can replace the file provider without touching the vault.
 */
export interface KeyProvider {
  readonly description: string;
  masterKey(): Promise<Buffer>;
}

export const MASTER_KEY_BYTES = 32;

/**
 * Reads the master key from a file. With `create` (a new data directory only) a missing key is
 * generated, mode 0600; otherwise a missing key is an error, never replaced: a new key cannot
 * read what the old one wrapped. A key others can read, or of the wrong size, is refused.
 */
export class FileKeyProvider implements KeyProvider {
  readonly #path: string;
  readonly #create: boolean;

  constructor(path: string, options: { create: boolean } = { create: true }) {
    this.#path = path;
    this.#create = options.create;
  }

  get description(): string {
    return `file:${this.#path}`;
  }

  async masterKey(): Promise<Buffer> {
    let raw: Buffer;
    try {
      raw = await readFile(this.#path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw new ConfigError(`Cannot read the master key ${this.#path} (${code ?? "error"}).`);
      if (!this.#create) {
        throw new ConfigError(`The master key ${this.#path} is missing; restore it from your key backup (a new key cannot read this data).`);
      }
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      const key = randomBytes(MASTER_KEY_BYTES);
      // "wx": never overwrite a key another process created meanwhile.
      await writeFile(this.#path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
      await chmod(this.#path, 0o600);
      raw = await readFile(this.#path);
    }
    // The key file must be the owner's alone (POSIX modes; Windows has none to check).
    const mode = (await stat(this.#path)).mode & 0o777;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      throw new ConfigError(`The master key ${this.#path} is accessible to group or others (mode ${mode.toString(8)}); run chmod 600 on it.`);
    }
    const key = Buffer.from(raw.toString("utf8").trim(), "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw new ConfigError(`The master key ${this.#path} must be ${MASTER_KEY_BYTES} bytes, base64-encoded.`);
    }
    return key;
  }
}
