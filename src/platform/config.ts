import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { resolve } from "node:path";

export interface Config {
  readonly dataDir: string;
  /** Unset: embedded SQLite at `<dataDir>/custodia.db`. */
  readonly databaseUrl: string | null;
  readonly masterKeyFile: string;
  /** PostgreSQL schema (tests); null uses the server's search_path. */
  readonly databaseSchema: string | null;
  /** Longest life of an API token of an L3+ user, in days (CUSTODIA_TOKEN_MAX_DAYS; default and ceiling 90). */
  readonly tokenMaxDays?: number;
  /**
   * Where document files live (CUSTODIA_BLOB_STORE): "file" under the data directory (default), or
   * "database", chunked rows in the database, so several servers on one PostgreSQL share them.
   */
  readonly blobStore?: BlobStoreKind;
  /** Largest document file accepted, in bytes (CUSTODIA_DOCUMENT_MAX_BYTES; default 1 GiB). */
  readonly documentMaxBytes?: number;
  /** Where the master key lives (CUSTODIA_KEY_PROVIDER); unset: the key file `masterKeyFile`. */
  readonly keyProvider?: KeyProviderConfig;
}

/**
 * The master key's home. Secrets (PIN, token) are functions so that printing or serialising the
 * configuration never shows them; a *_FILE is read when they are needed.
 */
export type KeyProviderConfig =
  | { readonly kind: "file" }
  | { readonly kind: "pkcs11"; readonly module: string; readonly tokenLabel: string; readonly keyLabel: string; readonly pin: () => string }
  | { readonly kind: "transit"; readonly addr: string; readonly mount: string; readonly key: string; readonly token: () => string };

export const DEFAULT_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so";

/** A secret from VAR or VAR_FILE (one of them, not both); the file's trailing newline is dropped. */
function secretFrom(env: NodeJS.ProcessEnv, name: string): () => string {
  const value = env[name];
  const file = env[`${name}_FILE`];
  if (value && file) throw new ConfigError(`Set ${name} or ${name}_FILE, not both.`);
  if (value) return () => value;
  if (!file) throw new ConfigError(`${name} (or ${name}_FILE) is required.`);
  const read = () => {
    try {
      return readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (error) {
      throw new ConfigError(`Cannot read ${name}_FILE ${file} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
    }
  };
  if (read() === "") throw new ConfigError(`${name}_FILE ${file} is empty.`);
  return read;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ConfigError(`${name} is required with CUSTODIA_KEY_PROVIDER=${env.CUSTODIA_KEY_PROVIDER}.`);
  return value;
}

/** A transit mount or key name: path segments of letters, digits, `.`, `_`, `-` (no `..`). */
function transitName(value: string, name: string, slashes: boolean): string {
  const ok = (slashes ? /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/ : /^[A-Za-z0-9._-]+$/).test(value) && !value.split("/").some((s) => s === "." || s === "..");
  if (!ok) throw new ConfigError(`${name} may hold only letters, digits, ".", "_" and "-"${slashes ? " (and / between segments)" : ""}.`);
  return value;
}

/** Plain http only where the token cannot cross a network: a loopback address. */
export function checkTransitAddr(addr: string): URL {
  let url: URL;
  try {
    url = new URL(addr);
  } catch {
    throw new ConfigError("CUSTODIA_TRANSIT_ADDR must be a URL such as https://vault.example:8200.");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ConfigError("CUSTODIA_TRANSIT_ADDR must be an https:// URL.");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const loopback = host === "localhost" || (isIP(host) === 4 && host.startsWith("127.")) || host === "::1";
  if (url.protocol === "http:" && !loopback) {
    throw new ConfigError("CUSTODIA_TRANSIT_ADDR uses plain http to a non-loopback address; use https:// (the token and KEKs would travel in clear).");
  }
  return url;
}

export function parseKeyProvider(env: NodeJS.ProcessEnv): KeyProviderConfig {
  const kind = env.CUSTODIA_KEY_PROVIDER?.trim() || "file";
  switch (kind) {
    case "file":
      return { kind };
    case "pkcs11":
      return {
        kind,
        module: env.CUSTODIA_PKCS11_MODULE?.trim() || DEFAULT_PKCS11_MODULE,
        tokenLabel: required(env, "CUSTODIA_PKCS11_TOKEN_LABEL"),
        keyLabel: required(env, "CUSTODIA_PKCS11_KEY_LABEL"),
        pin: secretFrom(env, "CUSTODIA_PKCS11_PIN"),
      };
    case "transit":
      return {
        kind,
        addr: checkTransitAddr(required(env, "CUSTODIA_TRANSIT_ADDR")).href,
        mount: transitName(env.CUSTODIA_TRANSIT_MOUNT?.trim() || "transit", "CUSTODIA_TRANSIT_MOUNT", true),
        key: transitName(required(env, "CUSTODIA_TRANSIT_KEY"), "CUSTODIA_TRANSIT_KEY", false),
        token: secretFrom(env, "CUSTODIA_TRANSIT_TOKEN"),
      };
    default:
      throw new ConfigError('CUSTODIA_KEY_PROVIDER must be "file", "pkcs11" or "transit".');
  }
}

export type BlobStoreKind = "file" | "database";
export const DEFAULT_DOCUMENT_MAX_BYTES = 1024 ** 3;

export function parseBlobStore(value: string | undefined): BlobStoreKind {
  if (value === undefined || value.trim() === "") return "file";
  if (value === "file" || value === "database") return value;
  throw new ConfigError('CUSTODIA_BLOB_STORE must be "file" or "database".');
}

/** A positive whole number of bytes, at most 1 TiB. */
export function parseDocumentMaxBytes(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return DEFAULT_DOCUMENT_MAX_BYTES;
  const bytes = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > 1024 ** 4)
    throw new ConfigError("CUSTODIA_DOCUMENT_MAX_BYTES must be a whole number of bytes from 1 to 1099511627776.");
  return bytes;
}

/** The ceiling of CUSTODIA_TOKEN_MAX_DAYS: a shorter lifetime may be configured, never a longer one. */
export const TOKEN_MAX_DAYS_CEILING = 90;

/** Refuses (at start-up) a token lifetime that is not a whole number of days from 1 to the ceiling. */
export function parseTokenMaxDays(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return TOKEN_MAX_DAYS_CEILING;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS_CEILING)
    throw new ConfigError(`CUSTODIA_TOKEN_MAX_DAYS must be a whole number of days from 1 to ${TOKEN_MAX_DAYS_CEILING}.`);
  return days;
}

/**
 * A problem with the operator's configuration or data directory, found before anything is opened
 * or created. Its message is one line meant for the operator; the CLI prints it and exits 2.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export function loadConfig(overrides: { dataDir?: string | undefined } = {}, env = process.env): Config {
  const dataDir = resolve(overrides.dataDir ?? env.CUSTODIA_DATA_DIR ?? "./data");
  return Object.freeze({
    dataDir,
    databaseUrl: env.CUSTODIA_DATABASE_URL || null,
    masterKeyFile: resolve(env.CUSTODIA_MASTER_KEY_FILE ?? `${dataDir}/master.key`),
    databaseSchema: env.CUSTODIA_DATABASE_SCHEMA || null,
    tokenMaxDays: parseTokenMaxDays(env.CUSTODIA_TOKEN_MAX_DAYS),
    blobStore: parseBlobStore(env.CUSTODIA_BLOB_STORE),
    documentMaxBytes: parseDocumentMaxBytes(env.CUSTODIA_DOCUMENT_MAX_BYTES),
    keyProvider: parseKeyProvider(env),
  });
}

/** A TCP port from the flag or CUSTODIA_PORT: an integer 1–65535. */
export function parsePort(value: string | number): number {
  const port = typeof value === "number" ? value : /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new ConfigError(`Invalid port "${value}": give an integer from 1 to 65535.`);
  return port;
}

/** The proxies a TLS-terminating proxy setup trusts by default: the proxy on the same host. */
export const LOOPBACK_PROXIES = Object.freeze(["127.0.0.1/8", "::1"]);

/** An IP address or a CIDR range (`10.0.0.0/8`, `fd00::/8`); anything else is refused. */
export function parseCidr(value: string): string {
  const [address = "", prefix, extra] = value.trim().split("/");
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
  if (family === 0 || !prefixOk || extra !== undefined) {
    throw new ConfigError(`Invalid trusted proxy "${value}": give an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8.`);
  }
  return value.trim();
}

/**
 * The addresses whose X-Forwarded-For is believed: `--trusted-proxy` values if given, else
 * CUSTODIA_TRUSTED_PROXIES (comma-separated), else loopback.
 */
export function trustedProxies(flags: readonly string[] | undefined, env = process.env): string[] {
  const given = flags?.length ? flags : (env.CUSTODIA_TRUSTED_PROXIES ?? "").split(",").filter((s) => s.trim() !== "");
  return (given.length ? given : LOOPBACK_PROXIES).map(parseCidr);
}
