/**
 * The one-time code a share's recipient opens the link with. It goes to the recipient's email
 * through the notification outbox (sealed there, sent by the delivery worker), in the same
 * transaction as the share: never to the sharer, never in a log or an audit event. The link itself
 * is handed over by the sharer, so the link alone, or the mailbox alone, opens nothing.
 */
import { randomCode } from "../../platform/crypto/secrets.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { queueEmail } from "../../response/notifications/notifier.js";
import { CODE_MAC_PURPOSE, CODE_TTL_MS } from "./share.js";

/** Keyed, so a copy of the database alone cannot try the million possible codes. */
export const shareCodeMac = (services: Services, shareId: string, code: string): string => services.vault.mac(CODE_MAC_PURPOSE, `${shareId}:${code}`);

/** The firm's name as recipients see it (CUSTODIA_FIRM_NAME), or null. */
export const firmName = (env = process.env): string | null => env.CUSTODIA_FIRM_NAME?.trim() || null;

export function shareCodeText(code: string, firm: string | null): { subject: string; body: string } {
  const hours = CODE_TTL_MS / 3600_000;
  return {
    subject: "文件共享验证码 / Verification code for a shared document",
    body: [
      `${firm ?? "律师事务所"}通过 Custodia 与您共享了一份文件。`,
      `验证码：${code}（${hours} 小时内有效，仅可下载一次）。`,
      "共享链接由发送人另行提供。请勿转发本邮件。",
      "",
      `${firm ?? "A law firm"} shared a document with you through Custodia.`,
      `Verification code: ${code} (valid for ${hours} hours, for one download).`,
      "The sender gives you the link separately. Do not forward this message.",
      "",
    ].join("\n"),
  };
}

/** A fresh code for the share, queued to the recipient; returns what the share row keeps of it. */
export async function sendShareCode(services: Services, tx: Tx, shareId: string, email: string, now: Date) {
  const code = randomCode("0123456789", 6);
  await queueEmail(tx, services.vault, { to: email, ...shareCodeText(code, firmName()), purpose: "document_share" }, now.toISOString());
  return {
    code_mac: shareCodeMac(services, shareId, code),
    code_sent_at: now.toISOString(),
    code_expires_at: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
  };
}
