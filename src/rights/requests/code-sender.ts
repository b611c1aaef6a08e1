/**
 * How a one-time code reaches the contact already on file. The development sender appends to a
 * local outbox file; email codes go through the mail relay (nodemailer, STARTTLS required; see
 * src/response/notifications/mail-transport.ts). An SMS gateway would be one more CodeSender.
 */
import { appendFile } from "node:fs/promises";
import { maskField } from "../../records/clients/masking.js";
import { type MailSender, SmtpMailer, smtpSettingsFromEnv } from "../../response/notifications/mail-transport.js";
import type { Services } from "../../platform/services.js";
import { smsCodeSenderFromEnv } from "../../response/notifications/sms/sms-config.js";

/** One plain-text email; also used by the notification channels (src/response/notifications/email.ts). */
export type { MailMessage } from "../../response/notifications/mail-transport.js";

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

/** Codes by email, through any MailSender (the relay from the environment in production). */
export class EmailCodeSender implements CodeSender {
  constructor(readonly mail: MailSender) {}

  async send(message: CodeMessage): Promise<void> {
    if (message.channel !== "email") throw new Error("The email code sender delivers email only");
    await this.mail.sendMail({ to: message.to, ...codeText(message) });
  }
}

/**
 * The sender from the environment: the mail relay when CUSTODIA_SMTP_URL is set (email only), else
 * the dev outbox. Throws ConfigError when the mail settings are wrong.
 */
export function senderFromEnv(dataDir: string, env = process.env, services?: Pick<Services, "engine" | "vault">): CodeSender {
  const outbox = new DevOutboxSender(`${dataDir}/outbox.jsonl`);
  const settings = smtpSettingsFromEnv(env);
  const email: CodeSender = settings ? new EmailCodeSender(new SmtpMailer(settings)) : outbox;
  // Phone codes by SMS when a provider is configured (rate-limited per number); else the dev outbox.
  const phone: CodeSender = (services && smsCodeSenderFromEnv(env, services)) || outbox;
  return { send: (m) => (m.channel === "email" ? email : phone).send(m) };
}
