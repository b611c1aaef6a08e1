/**
 * The email channel: notifications and complaint responses go through the relay configured by
 * CUSTODIA_SMTP_URL (nodemailer, src/response/notifications/mail-transport.ts), the same one the
 * portal uses for codes. Without it, mail goes to a development outbox file, which an operator must
 * not run in production.
 */
import { appendFile } from "node:fs/promises";
import { sha256Hex } from "../../platform/crypto/secrets.js";
import { maskField } from "../../records/clients/masking.js";
import { type MailMessage, type MailSender, SmtpMailer, smtpSettingsFromEnv } from "./mail-transport.js";

export type { MailMessage, MailSender } from "./mail-transport.js";

/**
 * Development: one JSON line per message in `<dataDir>/mail-outbox.jsonl` (owner-only): a masked
 * recipient, the subject and a digest of the body. Bodies may carry personal data (a complaint
 * response), so they are not written; point CUSTODIA_SMTP_URL at a local mail catcher to read them.
 */
export class DevMailOutbox implements MailSender {
  constructor(readonly file: string) {}
  async sendMail(message: MailMessage): Promise<void> {
    const { body, to, ...rest } = message;
    const line = {
      at: new Date().toISOString(),
      ...rest,
      to: maskField("email", to, null),
      bodySha256: sha256Hex(body),
    };
    await appendFile(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }
}

/** The relay from the environment, or the dev outbox when nothing is configured. Throws ConfigError on a wrong setting. */
export function mailSenderFromEnv(dataDir: string, env = process.env): MailSender {
  const settings = smtpSettingsFromEnv(env);
  return settings ? new SmtpMailer(settings) : new DevMailOutbox(`${dataDir}/mail-outbox.jsonl`);
}
