import { existsSync, readdirSync, statSync } from "node:fs";
import { FileKeyProvider, type KeyProvider } from "../vault/key-provider.js";
import { keyProviderFor } from "../vault/providers/index.js";
import { type Config, ConfigError } from "./config.js";
import { inspectDatabase } from "./db/open.js";

/**
 * `create`: serve and migrate, which may start a new data directory (absent or empty only);
 * `existing`: every other command, which must find one already there.
 */
export type DataDirUse = "create" | "existing";

// Left by the filesystem on a mount point; it does not make a directory "in use".
const IGNORED = new Set(["lost+found"]);

/**
 * Checks the data directory, the database and the master key before anything opens them, so a
 * mistyped --data-dir or a lost key is refused with one line instead of starting a fresh,
 * empty vault (or a new key that cannot read the old data). Nothing is created here; the key
 * provider returned creates the key only for a new vault. With an HSM or transit master key
 * (CUSTODIA_KEY_PROVIDER) there is no key file: none is looked for and none is created.
 */
export async function prepareDataDir(config: Config, use: DataDirUse): Promise<KeyProvider> {
  const external = (config.keyProvider?.kind ?? "file") !== "file";
  const dir = config.dataDir;
  const dirExists = existsSync(dir);
  if (dirExists) {
    const stats = statSync(dir);
    if (!stats.isDirectory()) throw new ConfigError(`The data directory ${dir} is not a directory.`);
    const mode = stats.mode & 0o777;
    // Whoever can write here can swap the key or the database.
    if (process.platform !== "win32" && (mode & 0o022) !== 0) {
      throw new ConfigError(`The data directory ${dir} is writable by group or others (mode ${mode.toString(8)}); run chmod 700 on it.`);
    }
  }
  const database = await inspectDatabase(config);
  const keyExists = existsSync(config.masterKeyFile);

  if (!database.exists) {
    const entries = dirExists ? readdirSync(dir).filter((name) => !IGNORED.has(name)) : [];
    if (use === "existing") {
      throw new ConfigError(
        config.databaseUrl
          ? `The database ${database.description} has no Custodia tables; run \`custodia migrate\` first.`
          : `No Custodia database in ${dir}; check --data-dir (or CUSTODIA_DATA_DIR), or run \`custodia migrate --data-dir ${dir}\` to start a new one.`,
      );
    }
    // SQLite keeps the database in the data directory: start only in an empty one.
    if (!config.databaseUrl && entries.length > 0) {
      throw new ConfigError(`${dir} is not empty and holds no Custodia database; choose an empty or new directory for a new vault.`);
    }
    if (external) return keyProviderFor(config, { create: true });
    const provider = new FileKeyProvider(config.masterKeyFile, { create: true });
    if (keyExists) await provider.masterKey(); // an operator-provided key must still be sound
    return provider;
  }
  // The database names its master key (vault_root); the provider finds it when the vault opens.
  if (external) return keyProviderFor(config, { create: !database.keyed });

  if (!keyExists) {
    if (database.keyed) {
      throw new ConfigError(
        `The database ${database.description} exists but its master key ${config.masterKeyFile} is missing; restore the key from your key backup (a new key cannot read this data).`,
      );
    }
    // Migrated but never opened: nothing is wrapped yet, so serve or migrate may create the key.
    if (use === "existing") throw new ConfigError(`No master key at ${config.masterKeyFile}; run \`custodia migrate\` to create one.`);
  }
  const provider = new FileKeyProvider(config.masterKeyFile, { create: !keyExists });
  await provider.masterKey(); // size and permissions, before the database is opened for writing
  return provider;
}
