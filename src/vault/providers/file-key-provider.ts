import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ConfigError } from "../../platform/config.js";
import { type KeyProvider, LocalMasterKey, MASTER_KEY_BYTES, type MasterKey, type MasterKeyRotation } from "../key-provider.js";

const KIND = "file";

/**
 * Reads the master key from a file. With `create` (a new data directory only) a missing key is
 * generated, mode 0600; otherwise a missing key is an error, never replaced: a new key cannot
 * read what the old one wrapped. A key others can read, or of the wrong size, is refused.
 *
 * Rotation writes the successor to `<file>.next`; once the database is re-wrapped, the old key is
 * kept as `<file>.old-<UTC time>` (mode 0600: backups taken before the rotation still need it)
 * and the successor takes the file's name by an atomic rename.
 */
export class FileKeyProvider implements KeyProvider {
  readonly kind = KIND;
  readonly #path: string;
  readonly #create: boolean;

  constructor(path: string, options: { create: boolean } = { create: true }) {
    this.#path = path;
    this.#create = options.create;
  }

  get description(): string {
    return `file:${this.#path}`;
  }

  get #next(): string {
    return `${this.#path}.next`;
  }

  async masterKey(ref?: string | null): Promise<MasterKey> {
    // Only a vault that names no key yet may get a new one.
    const current = new LocalMasterKey(await this.#read(this.#path, this.#create && !ref), KIND);
    if (!ref || ref === current.ref) return current;
    // A rotation committed in the database but not yet renamed here (a crash, or another server).
    const next = await this.#readIfPresent(this.#next);
    if (next?.ref === ref) {
      await this.#promote();
      return next;
    }
    // Restoring or verifying a backup taken before a rotation: the kept old keys.
    for (const name of await readdir(dirname(this.#path))) {
      if (!name.startsWith(`${basename(this.#path)}.old-`)) continue;
      const old = await this.#readIfPresent(join(dirname(this.#path), name));
      if (old?.ref === ref) return old;
    }
    throw new ConfigError(
      `The master key ${this.#path} is not the key this database was last wrapped with (${ref}); restore that key file from your key backup.`,
    );
  }

  readonly rotation: MasterKeyRotation = {
    prepare: async () => {
      const key = randomBytes(MASTER_KEY_BYTES);
      // Written whole under a temporary name, then renamed: a crash never leaves half a key.
      const temp = `${this.#next}.${process.pid}.tmp`;
      await writeSynced(temp, `${key.toString("base64")}\n`);
      await rename(temp, this.#next);
      return new LocalMasterKey(key, KIND);
    },
    commit: async () => this.#promote(),
  };

  /** Keeps the current key as `.old-<time>` (a hard link, so the file's name never goes missing) and renames `.next` over it. */
  async #promote(): Promise<string> {
    const kept = `${this.#path}.old-${new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}`;
    await link(this.#path, kept).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "EEXIST") throw e;
    });
    await chmod(kept, 0o600);
    await rename(this.#next, this.#path);
    await syncDir(dirname(this.#path));
    return kept;
  }

  async #readIfPresent(path: string): Promise<LocalMasterKey | null> {
    try {
      return new LocalMasterKey(await this.#read(path, false), KIND);
    } catch {
      return null;
    }
  }

  async #read(path: string, create: boolean): Promise<Buffer> {
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT") throw new ConfigError(`Cannot read the master key ${path} (${code ?? "error"}).`);
      if (!create) {
        throw new ConfigError(`The master key ${path} is missing; restore it from your key backup (a new key cannot read this data).`);
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const key = randomBytes(MASTER_KEY_BYTES);
      // "wx": never overwrite a key another process created meanwhile.
      await writeFile(path, `${key.toString("base64")}\n`, { mode: 0o600, flag: "wx" }).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== "EEXIST") throw e;
      });
      await chmod(path, 0o600);
      raw = await readFile(path);
    }
    // The key file must be the owner's alone (POSIX modes; Windows has none to check).
    const mode = (await stat(path)).mode & 0o777;
    if (process.platform !== "win32" && (mode & 0o077) !== 0) {
      throw new ConfigError(`The master key ${path} is accessible to group or others (mode ${mode.toString(8)}); run chmod 600 on it.`);
    }
    const key = Buffer.from(raw.toString("utf8").trim(), "base64");
    if (key.length !== MASTER_KEY_BYTES) {
      throw new ConfigError(`The master key ${path} must be ${MASTER_KEY_BYTES} bytes, base64-encoded.`);
    }
    return key;
  }
}

async function writeSynced(path: string, text: string): Promise<void> {
  await rm(path, { force: true });
  const file = await open(path, "wx", 0o600);
  try {
    await file.writeFile(text);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** The renames are durable only once the directory itself is synced (POSIX). */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
