/**
 * How a one-time code reaches the contact already on file. The development sender appends to a
 * local outbox file; the SMTP sender speaks just enough SMTP (RFC 5321) over node:net / node:tls
 * to hand a plain-text message to a relay. An SMS gateway would be one more CodeSender.
 */
import { appendFile } from "node:fs/promises";
import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { maskField } from "../../records/clients/masking.js";

export type CodeChannel = "phone" | "email";

export interface CodeMessage {
  channel: CodeChannel;
  /** The phone number or email address on file. */
  to: string;
  code: string;
  requestId: string;
  language: "zh-CN" | "en";
}

export interface CodeSender {
  send(message: CodeMessage): Promise<void>;
}

export function codeText(message: Pick<CodeMessage, "code" | "language">): { subject: string; body: string } {
  return message.language === "en"
    ? {
        subject: "Your verification code",
        body: `Your verification code is ${message.code}. It expires in 10 minutes. If you did not make a request, ignore this message.`,
      }
    : { subject: "您的验证码", body: `您的验证码为 ${message.code}，10 分钟内有效。如非本人操作，请忽略本消息。` };
}

/**
 * Development: one JSON line per message in `<dataDir>/outbox.jsonl` (owner-only). Never in
 * production. The contact is written masked: the data directory holds no personal data in clear.
 */
export class DevOutboxSender implements CodeSender {
  constructor(readonly file: string) {}
  async send(message: CodeMessage): Promise<void> {
    const to = maskField(message.channel === "email" ? "email" : "phone", message.to, null);
    const line = JSON.stringify({ at: new Date().toISOString(), ...message, to, text: codeText(message).body });
    await appendFile(this.file, `${line}\n`, { mode: 0o600 });
  }
}

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465). Without it the connection is plain: use only towards a local relay. */
  secure: boolean;
  from: string;
  user?: string | undefined;
  password?: string | undefined;
  /** Name sent in EHLO. */
  hostname?: string;
  timeoutMs?: number;
}

/** Parses `smtp://` or `smtps://user:password@host:port` and a From address. */
export function smtpOptionsFromUrl(url: string, from: string): SmtpOptions {
  const u = new URL(url);
  if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new Error("SMTP URL must start with smtp:// or smtps://");
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 25)),
    secure,
    from,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
  };
}

// Header and envelope values come from our own records, but a CR or LF would still end a line.
const oneLine = (value: string) => value.replace(/[\r\n]+/g, " ");

/** One plain-text email; also used by the notification channels (src/response/notifications/email.ts). */
export interface MailMessage {
  to: string;
  subject: string;
  body: string;
}

/** A minimal SMTP client: EHLO, optional AUTH PLAIN, MAIL, RCPT, DATA, QUIT. Email channel only. */
export class SmtpEmailSender implements CodeSender {
  constructor(readonly options: SmtpOptions) {}

  async send(message: CodeMessage): Promise<void> {
    if (message.channel !== "email") throw new Error("The SMTP sender delivers email only");
    await this.sendMail({ to: message.to, ...codeText(message) });
  }

  async sendMail(message: MailMessage): Promise<void> {
    const o = this.options;
    const socket: Socket = o.secure
      ? tlsConnect({ host: o.host, port: o.port, servername: o.host, minVersion: "TLSv1.2" })
      : netConnect({ host: o.host, port: o.port });
    socket.setTimeout(o.timeoutMs ?? 15_000, () => socket.destroy(new Error("SMTP timeout")));
    socket.setEncoding("utf8");
    let buffer = "";
    const waiting: ((reply: { code: number; text: string }) => void)[] = [];
    const failures: ((e: Error) => void)[] = [];
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      // A reply ends with a line whose fourth character is a space ("250 OK"), not a dash.
      for (let m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer); m; m = /(^|\r\n)(\d{3}) [^\r\n]*\r\n/.exec(buffer)) {
        const end = m.index + m[0].length;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end);
        waiting.shift()?.({ code: Number(m[2]), text });
        failures.shift();
      }
    });
    socket.on("error", (e) => failures.splice(0).forEach((f) => f(e)));
    const reply = () =>
      new Promise<{ code: number; text: string }>((resolve, reject) => {
        waiting.push(resolve);
        failures.push(reject);
      });
    const expect = async (wanted: number) => {
      const r = await reply();
      if (Math.floor(r.code / 100) !== Math.floor(wanted / 100)) throw new Error(`SMTP: expected ${wanted}, got ${r.code}`);
    };
    const command = async (line: string, wanted: number) => {
      const answer = expect(wanted);
      socket.write(`${line}\r\n`);
      await answer;
    };
    try {
      await expect(220);
      await command(`EHLO ${o.hostname ?? "custodia.local"}`, 250);
      if (o.user) await command(`AUTH PLAIN ${Buffer.from(`\u0000${o.user}\u0000${o.password ?? ""}`).toString("base64")}`, 235);
      await command(`MAIL FROM:<${oneLine(o.from)}>`, 250);
      await command(`RCPT TO:<${oneLine(message.to)}>`, 250);
      await command("DATA", 354);
      const { subject, body } = message;
      const data = [
        `From: <${oneLine(o.from)}>`,
        `To: <${oneLine(message.to)}>`,
        `Subject: =?UTF-8?B?${Buffer.from(subject).toString("base64")}?=`,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: base64",
        `Date: ${new Date().toUTCString()}`,
        "",
        Buffer.from(body).toString("base64").replace(/.{76}/g, "$&\r\n"),
        ".",
      ].join("\r\n");
      await command(data, 250);
      await command("QUIT", 221).catch(() => {});
    } finally {
      socket.end();
    }
  }
}

/** The sender from the environment: SMTP when CUSTODIA_SMTP_URL is set (email only), else the dev outbox. */
export function senderFromEnv(dataDir: string, env = process.env): CodeSender {
  const outbox = new DevOutboxSender(`${dataDir}/outbox.jsonl`);
  if (!env.CUSTODIA_SMTP_URL) return outbox;
  const smtp = new SmtpEmailSender(smtpOptionsFromUrl(env.CUSTODIA_SMTP_URL, env.CUSTODIA_SMTP_FROM ?? "no-reply@localhost"));
  // No SMS gateway yet: phone codes go to the outbox, which an operator must not run in production.
  return { send: (m) => (m.channel === "email" ? smtp.send(m) : outbox.send(m)) };
}
