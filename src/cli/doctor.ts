/**
 * `custodia doctor`: checks a deployment and says what to fix, one line per check (ok, warn,
 * fail), exit code 1 on any fail. Each check is a small function in CHECKS; none reads personal
 * data or writes to the database (opening the vault to test the key provider lets its audit
 * sequencer place events already pending, as any command does).
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { type Command, Option } from "commander";
import { Migrator, sql } from "kysely";
import { type Config, ConfigError, loadConfig } from "../platform/config.js";
import { prepareDataDir } from "../platform/data-dir.js";
import type { Engine } from "../platform/db/engine.js";
import { allMigrations } from "../platform/db/migrations/index.js";
import { inspectDatabase, openEngine } from "../platform/db/open.js";
import { auditFreshness } from "../platform/metrics/audit-freshness.js";
import { isLoopbackAddress, METRICS_TOKEN_MIN_LENGTH } from "../platform/metrics/metrics-access.js";
import { openServices } from "../platform/services.js";
import { describeMailSetup } from "../response/notifications/mail-transport.js";
import { describeSmsSetup } from "../response/notifications/sms/sms-config.js";

export type DoctorStatus = "ok" | "warn" | "fail";

export interface DoctorFinding {
  readonly check: string;
  readonly status: DoctorStatus;
  readonly message: string;
  /** What to do about a warn or fail. */
  readonly fix?: string;
}

export interface DoctorInput {
  readonly dataDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** serve's transport, as the unit file passes it: flags here, else CUSTODIA_TLS_CERT / _KEY, CUSTODIA_BEHIND_TLS_PROXY, CUSTODIA_HOST. */
  readonly tlsCert?: string | undefined;
  readonly tlsKey?: string | undefined;
  readonly behindTlsProxy?: boolean | undefined;
  readonly host?: string | undefined;
  readonly now?: () => Date;
}

interface DoctorContext {
  readonly input: DoctorInput;
  readonly env: NodeJS.ProcessEnv;
  readonly now: Date;
  /** Null when the configuration itself is wrong (the config check says why). */
  readonly config: Config | null;
  readonly configError: unknown;
  /** The database, opened without creating anything; null when there is none to open. */
  engine(): Promise<Engine | null>;
}

type Check = (ctx: DoctorContext) => Promise<DoctorFinding>;

const DAY_MS = 86_400_000;
/** Backups older than this are reported (BCK-1: a daily backup is the firm's baseline). */
export const BACKUP_MAX_AGE_MS = 2 * DAY_MS;
export const CERT_RENEW_WITHIN_MS = 30 * DAY_MS;
export const CLOCK_SKEW_MAX_MS = 5000;

const ok = (check: string, message: string): DoctorFinding => ({ check, status: "ok", message });
const warn = (check: string, message: string, fix: string): DoctorFinding => ({ check, status: "warn", message, fix });
const fail = (check: string, message: string, fix: string): DoctorFinding => ({ check, status: "fail", message, fix });
const mode = (path: string) => statSync(path).mode & 0o777;
const octal = (m: number) => m.toString(8).padStart(4, "0");
/** An operator-facing line from an error: our own ConfigError text, else only the error's class or code. */
const reason = (e: unknown) => (e instanceof ConfigError ? e.message : ((e as { code?: string }).code ?? (e as Error)?.constructor?.name ?? "error"));
const needsDatabase = (check: string) => warn(check, "not checked: the database is not available (see the database line)", "fix the database first");
const needsConfig = (check: string) => warn(check, "not checked: the configuration is wrong (see the config line)", "fix the configuration first");

const configuration: Check = async (ctx) =>
  ctx.config ? ok("config", "the environment parses") : fail("config", reason(ctx.configError), "correct the environment (see the README's Configuration)");

const dataDirectory: Check = async ({ config }) => {
  if (!config) return needsConfig("data-dir");
  const dir = config.dataDir;
  if (!existsSync(dir))
    return fail("data-dir", `${dir} does not exist`, "check --data-dir (or CUSTODIA_DATA_DIR), or run `custodia migrate` to create a vault");
  if (!statSync(dir).isDirectory()) return fail("data-dir", `${dir} is not a directory`, "point --data-dir at the vault's directory");
  const m = mode(dir);
  // Group or others could list the directory, read a world-readable database file or swap the key.
  if ((m & 0o077) !== 0) return fail("data-dir", `${dir} is mode ${octal(m)}: group or others can enter it`, `chmod 700 ${dir}`);
  if (typeof process.getuid === "function" && statSync(dir).uid !== process.getuid()) {
    return warn(
      "data-dir",
      `${dir} (0700) belongs to another user than this one`,
      `run doctor as the service user, or chown it to the user that runs custodia serve`,
    );
  }
  return ok("data-dir", `${dir} is 0700`);
};

const keyFile: Check = async ({ config, env }) => {
  if (!config) return needsConfig("key-file");
  const provider = env.CUSTODIA_KEY_PROVIDER?.trim() || "file";
  if (provider !== "file") return ok("key-file", `no key file: the master key is held by the ${provider} provider`);
  const file = config.masterKeyFile;
  if (!existsSync(file)) return fail("key-file", `the master key ${file} is missing`, "restore it from your key backup (a new key cannot read existing data)");
  const m = mode(file);
  if ((m & 0o077) !== 0) return fail("key-file", `${file} is mode ${octal(m)}: group or others can read it`, `chmod 600 ${file}`);
  return ok("key-file", `${file} is ${octal(m)}`);
};

const transport: Check = async ({ input, env, now }) => {
  const cert = input.tlsCert ?? env.CUSTODIA_TLS_CERT;
  const key = input.tlsKey ?? env.CUSTODIA_TLS_KEY;
  const behindProxy = input.behindTlsProxy ?? /^(1|true|yes)$/i.test(env.CUSTODIA_BEHIND_TLS_PROXY ?? "");
  const host = input.host ?? env.CUSTODIA_HOST ?? "127.0.0.1";
  if (Boolean(cert) !== Boolean(key)) return fail("tls", "only one of the certificate and the key is given", "give both --tls-cert and --tls-key");
  if (cert && key) {
    let x509: X509Certificate;
    let keyPem: Buffer;
    try {
      x509 = new X509Certificate(readFileSync(cert));
      keyPem = readFileSync(key);
    } catch (e) {
      return fail("tls", `cannot read the certificate or key (${reason(e)})`, "check --tls-cert and --tls-key point at PEM files this user can read");
    }
    const until = new Date(x509.validTo);
    if (!x509.checkPrivateKey(createPrivateKey(keyPem)))
      return fail("tls", `${key} is not the key of ${cert}`, "give the private key that belongs to the certificate");
    if (until.getTime() <= now.getTime())
      return fail("tls", `the certificate expired on ${until.toISOString()}`, "renew the certificate and restart custodia serve");
    if (new Date(x509.validFrom).getTime() > now.getTime())
      return fail("tls", `the certificate is not valid before ${x509.validFrom}`, "check the clock or the certificate");
    if ((mode(key) & 0o077) !== 0) return warn("tls", `the TLS key ${key} is readable by group or others`, `chmod 600 ${key}`);
    const days = Math.floor((until.getTime() - now.getTime()) / DAY_MS);
    if (until.getTime() - now.getTime() < CERT_RENEW_WITHIN_MS)
      return warn("tls", `the certificate expires in ${days} days (${until.toISOString()})`, "renew it now");
    return ok("tls", `HTTPS with a certificate valid for ${days} more days`);
  }
  if (behindProxy) return ok("tls", "TLS terminates at the proxy in front (--behind-tls-proxy); keep /metrics off the proxy");
  if (isLoopbackAddress(host) || host === "localhost")
    return warn(
      "tls",
      `no TLS: custodia serves plain HTTP on ${host} only`,
      "put a TLS proxy in front (docs/deploy) with --behind-tls-proxy, or give --tls-cert and --tls-key",
    );
  return fail("tls", `custodia serve refuses plain HTTP on ${host}`, "give --tls-cert and --tls-key, or --behind-tls-proxy behind a TLS proxy");
};

const database: Check = async (ctx) => {
  if (!ctx.config) return needsConfig("database");
  let engine: Engine | null;
  try {
    engine = await ctx.engine();
  } catch (e) {
    return fail("database", `cannot open the database (${reason(e)})`, "check CUSTODIA_DATABASE_URL, the server and its credentials");
  }
  if (!engine) return fail("database", "no Custodia database", "run `custodia migrate` (or check --data-dir / CUSTODIA_DATABASE_URL)");
  const migrator = new Migrator({
    db: engine.db,
    provider: { getMigrations: async () => allMigrations(engine.binaryType) },
    ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
  });
  const migrations = await migrator.getMigrations();
  const pending = migrations.filter((m) => !m.executedAt);
  if (pending.length) return fail("database", `${pending.length} migration(s) not applied (first: ${pending[0]!.name})`, "run `custodia migrate`");
  return ok("database", `${engine.name} answers; latest migration ${migrations.at(-1)?.name ?? "none"} applied`);
};

const keyProvider: Check = async ({ config, input }) => {
  if (!config) return needsConfig("key-provider");
  try {
    const provider = await prepareDataDir(config, "existing");
    // Opening the vault unwraps the active key-encryption key with the master key: a wrong or unreachable key fails here.
    const services = await openServices(config, { keyProvider: provider, migrate: false });
    await services.close();
    return ok("key-provider", `${provider.description} opens the active key-encryption key`);
  } catch (e) {
    return fail(
      "key-provider",
      `the vault cannot be opened (${reason(e)})`,
      `fix what it names, then run \`custodia doctor --data-dir ${input.dataDir ?? config.dataDir}\` again`,
    );
  }
};

// ─── Mail and SMS: LOCAL FALLBACK CHECKS ─────────────────────────────────────────────────────────
const mail: Check = async ({ env }) => {
  const s = describeMailSetup(env);
  if (s.kind === "dev-outbox" && !s.problems.length)
    return warn("mail", "mail goes to a development outbox (no CUSTODIA_SMTP_URL)", "set CUSTODIA_SMTP_URL to the firm's relay");
  if (s.problems.length) return fail("mail", s.problems.join(" "), "correct the CUSTODIA_SMTP_* settings");
  return ok("mail", `relay ${s.host}:${s.port} (${s.tls}${s.dkim ? ", DKIM" : ""})`);
};

const sms: Check = async ({ env }) => {
  const s = describeSmsSetup(env);
  if (s.provider === "dev-outbox" && !env.CUSTODIA_SMS_PROVIDER?.trim())
    return warn("sms", "portal SMS codes go to a development outbox (no CUSTODIA_SMS_PROVIDER)", "configure aliyun or tencent SMS (see the README)");
  if (s.problems.length) return fail("sms", s.problems.join(" "), "correct the CUSTODIA_SMS_* settings");
  return ok("sms", `provider ${s.provider}`);
};
// ─── end of the local fallback checks ────────────────────────────────────────────────────────────

const backups: Check = async (ctx) => {
  const engine = await ctx.engine().catch(() => null);
  if (!engine) return needsDatabase("backups");
  // Read-only: the time of the last successful backup, never its details.
  const last = await engine.db
    .selectFrom("audit_events")
    .select("at")
    .where("action", "=", "backup.create")
    .where("outcome", "=", "success")
    .orderBy("seq", "desc")
    .limit(1)
    .executeTakeFirst();
  const fix = engine.backupTo
    ? "schedule `custodia backup create` daily (or the backup job) and keep copies off this machine"
    : "PostgreSQL: run pg_dump daily and keep <data dir>/erasure-ledger.jsonl with the key";
  if (!last) return warn("backups", engine.backupTo ? "no backup has been recorded" : "no in-process backup is recorded (PostgreSQL)", fix);
  const age = ctx.now.getTime() - Date.parse(last.at);
  const days = (age / DAY_MS).toFixed(1);
  if (age > BACKUP_MAX_AGE_MS) return warn("backups", `the last backup is ${days} days old (${last.at})`, fix);
  return ok("backups", `the last backup is ${days} days old`);
};

const clock: Check = async (ctx) => {
  const engine = await ctx.engine().catch(() => null);
  if (!engine) return needsDatabase("clock");
  // CURRENT_TIMESTAMP on both engines: PostgreSQL's server clock, SQLite's (this machine's, to the second).
  const before = Date.now();
  const { rows } = await sql<{ now: Date | string }>`select CURRENT_TIMESTAMP as now`.execute(engine.db);
  const after = Date.now();
  const value = rows[0]!.now;
  const server = value instanceof Date ? value.getTime() : Date.parse(`${String(value).replace(" ", "T")}Z`);
  // SQLite answers in whole seconds: allow for the truncation there.
  const skew = Math.abs(server - (before + after) / 2) - (value instanceof Date ? 0 : 1000);
  if (skew > CLOCK_SKEW_MAX_MS) {
    return warn("clock", `this machine and the database disagree by ${Math.round(skew / 1000)} s`, "run NTP (chrony or systemd-timesyncd) on both machines");
  }
  return ok("clock", "this machine and the database agree");
};

const auditSigning: Check = async (ctx) => {
  const engine = await ctx.engine().catch(() => null);
  if (!engine) return needsDatabase("audit");
  const f = await auditFreshness(engine.db, ctx.now);
  if (!f.ok) {
    return fail(
      "audit",
      `audit events since ${f.oldestUnsignedAt} wait for a signed checkpoint`,
      "make sure custodia serve is running (it signs the log); check its log for audit errors",
    );
  }
  if (f.oldestUnsignedAt) return ok("audit", `events since ${f.oldestUnsignedAt} are about to be signed`);
  return ok("audit", f.lastCheckpointAt ? `every audit event is signed (last checkpoint ${f.lastCheckpointAt})` : "the audit log is empty");
};

const metricsToken: Check = async ({ env }) => {
  const token = env.CUSTODIA_METRICS_TOKEN;
  if (!token) return ok("metrics", "/metrics answers loopback scrapers only");
  if (token.length < METRICS_TOKEN_MIN_LENGTH) {
    return fail("metrics", `CUSTODIA_METRICS_TOKEN is shorter than ${METRICS_TOKEN_MIN_LENGTH} characters (serve refuses it)`, "use openssl rand -hex 32");
  }
  return ok("metrics", "/metrics answers loopback scrapers and holders of CUSTODIA_METRICS_TOKEN");
};

/** In order: later checks lean on what earlier ones established (configuration, then the database). */
export const CHECKS: readonly { readonly name: string; readonly run: Check }[] = [
  { name: "config", run: configuration },
  { name: "data-dir", run: dataDirectory },
  { name: "key-file", run: keyFile },
  { name: "tls", run: transport },
  { name: "database", run: database },
  { name: "key-provider", run: keyProvider },
  { name: "mail", run: mail },
  { name: "sms", run: sms },
  { name: "backups", run: backups },
  { name: "clock", run: clock },
  { name: "audit", run: auditSigning },
  { name: "metrics", run: metricsToken },
];

export async function runDoctor(input: DoctorInput = {}): Promise<DoctorFinding[]> {
  const env = input.env ?? process.env;
  let config: Config | null = null;
  let configError: unknown = null;
  try {
    config = loadConfig({ dataDir: input.dataDir }, env);
  } catch (e) {
    configError = e;
  }
  let opened: Promise<Engine | null> | null = null;
  const ctx: DoctorContext = {
    input,
    env,
    now: (input.now ?? (() => new Date()))(),
    config,
    configError,
    engine() {
      if (!config) return Promise.resolve(null);
      // inspectDatabase creates nothing; openEngine would create an empty SQLite file.
      opened ??= inspectDatabase(config).then((state) => (state.exists ? openEngine(config) : null));
      return opened;
    },
  };
  const findings: DoctorFinding[] = [];
  try {
    for (const { name, run } of CHECKS) {
      findings.push(await run(ctx).catch((e) => fail(name, `the check itself failed (${reason(e)})`, "report this with the line above")));
    }
  } finally {
    // Assigned inside ctx.engine(), which TypeScript's narrowing does not follow.
    const engine = await (opened as Promise<Engine | null> | null)?.catch(() => null);
    await engine?.destroy();
  }
  return findings;
}

export function formatFindings(findings: readonly DoctorFinding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length));
  return findings.map((f) => `${f.status.padEnd(4)}  ${f.check.padEnd(width)}  ${f.message}${f.fix ? ` — fix: ${f.fix}` : ""}`).join("\n");
}

export function addDoctorCommand(program: Command): Command {
  return program
    .command("doctor")
    .description("check this deployment (permissions, TLS, database, key provider, mail, SMS, backups, clock, audit signing) and say what to fix")
    .addOption(new Option("--data-dir <dir>", "data directory (env CUSTODIA_DATA_DIR)").default(undefined, "./data"))
    .addOption(new Option("--host <host>", "the address serve listens on").env("CUSTODIA_HOST"))
    .option("--tls-cert <file>", "the certificate serve is given (env CUSTODIA_TLS_CERT)")
    .option("--tls-key <file>", "its private key (env CUSTODIA_TLS_KEY)")
    .option("--behind-tls-proxy", "serve runs behind a TLS proxy (env CUSTODIA_BEHIND_TLS_PROXY=1)")
    .option("--json", "machine-readable output")
    .action(async (o) => {
      const findings = await runDoctor({ dataDir: o.dataDir, host: o.host, tlsCert: o.tlsCert, tlsKey: o.tlsKey, behindTlsProxy: o.behindTlsProxy });
      console.log(o.json ? JSON.stringify({ findings }) : formatFindings(findings));
      if (findings.some((f) => f.status === "fail")) process.exitCode = 1;
    });
}
