/**
 * The email channel. The SMTP client is the one the portal uses for codes (src/requests/code-sender.ts);
 * here it carries notifications and complaint responses. Without CUSTODIA_SMTP_URL, mail goes to a
 * development outbox file, which an operator must not run in production.
 */
import { appendFile } from "node:fs/promises";
import { SmtpEmailSender, smtpOptionsFromUrl, type MailMessage } from "../requests/code-sender.js";

export type { MailMessage } from "../requests/code-sender.js";

export interface MailSender {
  sendMail(message: MailMessage): Promise<void>;
}

/** Development: one JSON line per message in `<dataDir>/mail-outbox.jsonl` (owner-only). */
export class DevMailOutbox implements MailSender {
  constructor(readonly file: string) {}
  async sendMail(message: MailMessage): Promise<void> {
    await appendFile(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...message })}\n`, { mode: 0o600 });
  }
}

export function mailSenderFromEnv(dataDir: string, env = process.env): MailSender {
  if (!env.CUSTODIA_SMTP_URL) return new DevMailOutbox(`${dataDir}/mail-outbox.jsonl`);
  return new SmtpEmailSender(smtpOptionsFromUrl(env.CUSTODIA_SMTP_URL, env.CUSTODIA_SMTP_FROM ?? "no-reply@localhost"));
}
