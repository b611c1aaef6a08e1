/**
 * Outgoing mail through nodemailer: notifications, complaint responses and portal codes.
 *
 * Configured from the environment (see the README, "Mail"):
 * - `CUSTODIA_SMTP_URL`: `smtp://user:pass@host:587` (STARTTLS required), `smtps://user:pass@host:465`
 *   (implicit TLS), or `smtp://127.0.0.1:25?tls=optional` (a loopback relay only: STARTTLS when offered).
 * - `CUSTODIA_SMTP_FROM`: the From address, `no-reply@firm.cn` or `Firm name <no-reply@firm.cn>`.
 * - `CUSTODIA_SMTP_CA_FILE`: PEM certificates trusted instead of the system CAs (a private CA).
 * - `CUSTODIA_DKIM_DOMAIN`, `CUSTODIA_DKIM_SELECTOR`, `CUSTODIA_DKIM_KEY_FILE`: DKIM signing, all or none.
 *
 * Certificates are always verified. Errors carry a nodemailer code and a fixed message, never an
 * address, a body or the server's reply (which may echo an address).
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import nodemailer, { type SMTPTransportOptions, type Transporter } from "nodemailer";
import { ConfigError } from "../../platform/config.js";

/** One plain-text email. */
export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

export interface MailSender {
  sendMail(message: MailMessage): Promise<void>;
}

export type MailTlsPolicy = "starttls-required" | "implicit" | "optional-loopback";

/** A checked SMTP configuration. Holds the password: never log it. */
export interface SmtpSettings {
  readonly kind: "smtp" | "smtps";
  readonly host: string;
  readonly port: number;
  readonly tls: MailTlsPolicy;
  readonly from: { readonly name: string; readonly address: string };
  readonly auth: { readonly user: string; readonly pass: string } | null;
  /** PEM of the private CA, when CUSTODIA_SMTP_CA_FILE is set. */
  readonly ca: string | null;
  readonly dkim: { readonly domainName: string; readonly keySelector: string; readonly privateKey: string } | null;
}

/** What `custodia doctor` shows: no secrets, no file contents. */
export interface MailSetup {
  kind: "smtp" | "smtps" | "dev-outbox";
  host?: string;
  port?: number;
  tls: MailTlsPolicy | "none";
  dkim: boolean;
  privateCa: boolean;
  /** Fixed sentences; any of them stops the server from starting. Empty for the dev outbox means nothing is configured. */
  problems: string[];
}

const MAIL_VARIABLES = ["CUSTODIA_SMTP_FROM", "CUSTODIA_SMTP_CA_FILE", "CUSTODIA_DKIM_DOMAIN", "CUSTODIA_DKIM_SELECTOR", "CUSTODIA_DKIM_KEY_FILE"] as const;

// Deliberately narrow: one mailbox, no quoting, comments or lists, so a stored value can never add a recipient.
const ADDRESS = /^[^\s<>()[\]\\,;:"@]+@[^\s<>()[\]\\,;:"@]+$/u;
const NAMED_ADDRESS = /^([^<>\r\n"]*?)\s*<([^<>]+)>$/u;

export function isLoopbackHost(host: string): boolean {
  if (host === "localhost") return true;
  if (isIP(host) === 4) return host.startsWith("127.");
  return host === "::1" || host === "[::1]";
}

function parseFrom(value: string): SmtpSettings["from"] | null {
  const named = NAMED_ADDRESS.exec(value.trim());
  const [name, address] = named ? [named[1]!.trim(), named[2]!.trim()] : ["", value.trim()];
  return ADDRESS.test(address) ? { name, address } : null;
}

function readFile(file: string, variable: string, problems: string[]): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    problems.push(`Cannot read ${variable} (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
    return null;
  }
}

function parseCa(file: string, problems: string[]): string | null {
  const pem = readFile(file, "CUSTODIA_SMTP_CA_FILE", problems);
  if (pem === null) return null;
  try {
    new X509Certificate(pem);
    return pem;
  } catch {
    problems.push("CUSTODIA_SMTP_CA_FILE holds no PEM certificate.");
    return null;
  }
}

function parseDkim(env: NodeJS.ProcessEnv, problems: string[]): SmtpSettings["dkim"] {
  const domainName = env.CUSTODIA_DKIM_DOMAIN;
  const keySelector = env.CUSTODIA_DKIM_SELECTOR;
  const keyFile = env.CUSTODIA_DKIM_KEY_FILE;
  if (!domainName && !keySelector && !keyFile) return null;
  if (!domainName || !keySelector || !keyFile) {
    problems.push("DKIM needs all of CUSTODIA_DKIM_DOMAIN, CUSTODIA_DKIM_SELECTOR and CUSTODIA_DKIM_KEY_FILE.");
    return null;
  }
  const privateKey = readFile(keyFile, "CUSTODIA_DKIM_KEY_FILE", problems);
  if (privateKey === null) return null;
  let keyType: string | undefined;
  try {
    keyType = createPrivateKey(privateKey).asymmetricKeyType;
  } catch {
    problems.push("CUSTODIA_DKIM_KEY_FILE holds no PEM private key.");
    return null;
  }
  // nodemailer signs rsa-sha256 only.
  if (keyType !== "rsa") {
    problems.push("CUSTODIA_DKIM_KEY_FILE must hold an RSA private key.");
    return null;
  }
  return { domainName, keySelector, privateKey };
}

function parseUrl(raw: string, problems: string[]): Pick<SmtpSettings, "kind" | "host" | "port" | "tls" | "auth"> | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The URL is not echoed: it may hold the password.
    problems.push("CUSTODIA_SMTP_URL is not a valid URL.");
    return null;
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    problems.push("CUSTODIA_SMTP_URL must start with smtp:// or smtps://.");
    return null;
  }
  const kind = url.protocol === "smtps:" ? "smtps" : "smtp";
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!host) problems.push("CUSTODIA_SMTP_URL names no host.");
  const port = url.port ? Number(url.port) : kind === "smtps" ? 465 : 587;
  const params = [...url.searchParams.keys()];
  const optional = url.searchParams.get("tls") === "optional";
  if (params.some((p) => p !== "tls") || (params.includes("tls") && !optional)) {
    problems.push("CUSTODIA_SMTP_URL accepts only ?tls=optional.");
  }
  if (optional && kind === "smtps") problems.push("?tls=optional does not apply to smtps://, which is always TLS.");
  else if (optional && host && !isLoopbackHost(host)) {
    // Off the machine, a relay that does not offer STARTTLS would see the password and every notice in clear.
    problems.push("?tls=optional is accepted only for a loopback relay (127.0.0.1, ::1, localhost).");
  }
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      problems.push("CUSTODIA_SMTP_URL has a malformed %-escape in the user or password.");
      return "";
    }
  };
  const user = decode(url.username);
  const pass = decode(url.password);
  if (Boolean(user) !== Boolean(pass)) problems.push("CUSTODIA_SMTP_URL needs both a user and a password, or neither.");
  const tls: MailTlsPolicy = kind === "smtps" ? "implicit" : optional ? "optional-loopback" : "starttls-required";
  return { kind, host, port, tls, auth: user && pass ? { user, pass } : null };
}

function inspect(env: NodeJS.ProcessEnv): { settings: SmtpSettings | null; setup: MailSetup } {
  const problems: string[] = [];
  const raw = env.CUSTODIA_SMTP_URL;
  if (!raw) {
    const stray = MAIL_VARIABLES.filter((name) => env[name]);
    // Mail settings without a relay would otherwise send everything to the development outbox unnoticed.
    if (stray.length) problems.push(`${stray.join(", ")} set without CUSTODIA_SMTP_URL: mail would go to the development outbox.`);
    return { settings: null, setup: { kind: "dev-outbox", tls: "none", dkim: false, privateCa: false, problems } };
  }
  const url = parseUrl(raw, problems);
  const from = env.CUSTODIA_SMTP_FROM ? parseFrom(env.CUSTODIA_SMTP_FROM) : null;
  if (!env.CUSTODIA_SMTP_FROM) problems.push("CUSTODIA_SMTP_FROM is required with CUSTODIA_SMTP_URL.");
  else if (!from) problems.push("CUSTODIA_SMTP_FROM must be one address, e.g. no-reply@firm.cn or Firm <no-reply@firm.cn>.");
  const ca = env.CUSTODIA_SMTP_CA_FILE ? parseCa(env.CUSTODIA_SMTP_CA_FILE, problems) : null;
  const dkim = parseDkim(env, problems);
  const setup: MailSetup = {
    kind: url?.kind ?? "smtp",
    ...(url?.host ? { host: url.host, port: url.port } : {}),
    tls: url?.tls ?? "starttls-required",
    dkim: dkim !== null,
    privateCa: ca !== null,
    problems,
  };
  const settings = url && from && !problems.length ? { ...url, from, ca, dkim } : null;
  return { settings, setup };
}

/** The mail setup for `custodia doctor`; never throws and holds no secrets. */
export function describeMailSetup(env: NodeJS.ProcessEnv = process.env): MailSetup {
  return inspect(env).setup;
}

/** The SMTP settings from the environment, or null when none are given (the dev outbox). Throws ConfigError when they are wrong. */
export function smtpSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SmtpSettings | null {
  const { settings, setup } = inspect(env);
  if (setup.problems.length) throw new ConfigError(`Mail: ${setup.problems.join(" ")}`);
  return settings;
}

const SAFE_MESSAGES: Record<string, string> = {
  ETLS: "The relay offered no STARTTLS, or the TLS handshake failed.",
  ECERT: "The relay's TLS certificate is not trusted (see CUSTODIA_SMTP_CA_FILE) or does not name its host.",
  EAUTH: "The relay refused the SMTP credentials.",
  ENOAUTH: "The relay requires SMTP credentials.",
  ECONNECTION: "The relay closed the connection.",
  ESOCKET: "The relay could not be reached.",
  EDNS: "The relay's host name did not resolve.",
  ETIMEDOUT: "The relay did not answer in time.",
  EENVELOPE: "The relay refused the sender or the recipient.",
  EMESSAGE: "The relay refused the message.",
  EPROTOCOL: "The relay answered outside the SMTP protocol.",
};

// OpenSSL and Node codes of a certificate that failed verification (nodemailer reports them as ESOCKET).
const CERTIFICATE_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|HOSTNAME_MISMATCH/;
const SAFE_CODE = /^[A-Z][A-Z0-9_]{1,60}$/;

/**
 * A failed send: a code (nodemailer's ETLS, EAUTH …, or ECERT for an untrusted certificate), the
 * underlying system or OpenSSL code when there is one, the SMTP reply code, and a fixed message.
 */
export class MailDeliveryError extends Error {
  override readonly name = "MailDeliveryError";
  constructor(
    readonly code: string,
    readonly detail: string | null = null,
    readonly responseCode: number | null = null,
  ) {
    super(`Mail delivery failed (${detail ? `${code} ${detail}` : code}): ${SAFE_MESSAGES[code] ?? "the relay did not accept the message."}`);
  }

  /** Keeps only the codes of a nodemailer error; its message, reply and cause may name a recipient. */
  static from(error: unknown): MailDeliveryError {
    if (error instanceof MailDeliveryError) return error;
    const e = (error ?? {}) as { code?: unknown; originalCode?: unknown; responseCode?: unknown };
    const code = typeof e.code === "string" && SAFE_CODE.test(e.code) ? e.code : "EUNKNOWN";
    const detail = typeof e.originalCode === "string" && SAFE_CODE.test(e.originalCode) ? e.originalCode : null;
    const responseCode = typeof e.responseCode === "number" ? e.responseCode : null;
    return new MailDeliveryError(detail && CERTIFICATE_FAILURE.test(detail) ? "ECERT" : code, detail, responseCode);
  }
}

function transportOptions(s: SmtpSettings): SMTPTransportOptions {
  return {
    host: s.host,
    port: s.port,
    secure: s.tls === "implicit",
    // STARTTLS or nothing: without it the password and every notice would cross the network in clear.
    requireTLS: s.tls === "starttls-required",
    ...(s.auth ? { auth: { user: s.auth.user, pass: s.auth.pass } } : {}),
    // Certificates are verified (Node's default); a private CA replaces the system list rather than disabling checks.
    tls: { minVersion: "TLSv1.2", ...(s.ca ? { ca: s.ca } : {}) },
    ...(s.dkim ? { dkim: { ...s.dkim } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
    // Our messages are plain text built here; nothing may pull in a file or a URL, nor add recipients.
    disableFileAccess: true,
    disableUrlAccess: true,
    maxRecipients: 1,
  };
}

/** Sends through the configured relay. One connection per message: mail here is a trickle, not a stream. */
export class SmtpMailer implements MailSender {
  readonly #transport: Transporter;
  readonly #from: SmtpSettings["from"];

  constructor(settings: SmtpSettings) {
    this.#transport = nodemailer.createTransport(transportOptions(settings));
    this.#from = settings.from;
  }

  async sendMail(message: MailMessage): Promise<void> {
    const to = message.to.trim();
    if (!ADDRESS.test(to)) throw new MailDeliveryError("EENVELOPE");
    try {
      await this.#transport.sendMail({
        from: this.#from,
        to: { name: "", address: to },
        // A CR or LF would end the header line; nodemailer encodes the rest.
        subject: message.subject.replace(/[\r\n]+/g, " "),
        text: message.body,
      });
    } catch (error) {
      throw MailDeliveryError.from(error);
    }
  }

  /** Connects, upgrades to TLS and authenticates without sending (for `custodia doctor`). */
  async verify(): Promise<void> {
    try {
      await this.#transport.verify();
    } catch (error) {
      throw MailDeliveryError.from(error);
    }
  }
}
