/**
 * The email channel. The SMTP client is the one the portal uses for codes (src/rights/requests/code-sender.ts);
 * here it carries notifications and complaint responses. Without CUSTODIA_SMTP_URL, mail goes to a
 * development outbox file, which an operator must not run in production.
 */
import { sha256Hex } from "../../platform/crypto/secrets.js";
import { appendFile } from "node:fs/promises";
import { maskField } from "../../records/clients/masking.js";
import { SmtpEmailSender, smtpOptionsFromUrl, type MailMessage } from "../../rights/requests/code-sender.js";

export type { MailMessage } from "../../rights/requests/code-sender.js";

export interface MailSender {
  sendMail(message: MailMessage): Promise<void>;
}

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

export function mailSenderFromEnv(dataDir: string, env = process.env): MailSender {
  if (!env.CUSTODIA_SMTP_URL) return new DevMailOutbox(`${dataDir}/mail-outbox.jsonl`);
  return new SmtpEmailSender(smtpOptionsFromUrl(env.CUSTODIA_SMTP_URL, env.CUSTODIA_SMTP_FROM ?? "no-reply@localhost"));
}
