import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * Supplies the 256-bit master key that wraps every key-encryption key.
 * A KMS-backed provider can replace the file provider without touching the vault.
 */
export interface KeyProvider {
  readonly description: string;
  masterKey(): Promise<Buffer>;
}

export const MASTER_KEY_BYTES = 32;

/** Reads the master key from a file, generating it (mode 0600) on first start. */
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
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || !this.#create) throw error;
      await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
      const key = randomBytes(MASTER_KEY_BYTES);
      // "wx": never overwrite a key another process created meanwhile.
      await writeFile(this.#path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
      await chmod(this.#path, 0o600);
      raw = await readFile(this.#path);
    }
    const key = Buffer.from(raw.toString("utf8").trim(), "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw new Error(`Master key at ${this.#path} must be ${MASTER_KEY_BYTES} bytes, base64-encoded`);
    }
    return key;
  }
}
