/**
 * The delivery worker: sends what the notifier queued. Webhooks are POSTed with a fresh signature
 * per attempt; a non-2xx answer, a timeout or a network error schedules the next attempt with
 * exponential back-off (30 s, 1 min, 2 min … capped at 6 h) until MAX_ATTEMPTS, then gives up.
 * Every attempt is logged (status or error class, duration), never the receiver's answer body.
 *
 * Safe to run from several servers and cron at once: a row is claimed by a conditional update of
 * its next_attempt_at (a lease), so only one worker sends a given attempt.
 */
import { openText } from "../../vault/sealed-text.js";
import { uuidv7 } from "../../platform/ids.js";
import type { Services } from "../../platform/services.js";
import type { MailSender } from "./email.js";

import { signatureHeader } from "./signature.js";

export const MAX_ATTEMPTS = 8;
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 6 * 3_600_000;
const LEASE_MS = 2 * 60_000;
const BATCH = 25;

/** Delay before attempt `attempts + 1`, after `attempts` failures. */
export const backoffMs = (attempts: number): number => Math.min(BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);

export interface DeliveryOptions {
  mail?: MailSender | undefined;
  timeoutMs?: number;
}

export interface DeliveryReport {
  webhooks: { delivered: number; retrying: number; failed: number };
  emails: { sent: number; retrying: number; failed: number };
}

const later = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

async function postOnce(
  url: string,
  secret: string,
  body: string,
  deliveryId: string,
  timeoutMs: number,
): Promise<{ status: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-custodia-signature": signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        "x-custodia-delivery": deliveryId,
        "user-agent": "Custodia-Webhooks/1",
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel(); // the answer's content is not ours to keep
    return { status: res.status, error: null };
  } catch (e) {
    return { status: null, error: (e as Error)?.name === "TimeoutError" ? "timeout" : "network_error" };
  }
}

export async function deliverDue(services: Services, now: Date = new Date(), options: DeliveryOptions = {}): Promise<DeliveryReport> {
  const db = services.engine.db;
  const report: DeliveryReport = { webhooks: { delivered: 0, retrying: 0, failed: 0 }, emails: { sent: 0, retrying: 0, failed: 0 } };
  const nowIso = now.toISOString();

  const due = await db
    .selectFrom("webhook_deliveries as d")
    .innerJoin("webhooks as w", "w.id", "d.webhook_id")
    .select(["d.id", "d.body", "d.attempts", "d.next_attempt_at", "w.url", "w.secret_ct", "w.id as webhookId"])
    .where("d.next_attempt_at", "<=", nowIso)
    .orderBy("d.next_attempt_at")
    .limit(BATCH)
    .execute();
  for (const d of due) {
    const claimed = await db
      .updateTable("webhook_deliveries")
      .set({ next_attempt_at: later(now, LEASE_MS) })
      .where("id", "=", d.id)
      .where("next_attempt_at", "=", d.next_attempt_at)
      .where("attempts", "=", d.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const secret = openText(services.vault, "webhooks", d.webhookId, "secret", d.secret_ct);
    const started = performance.now();
    const result = await postOnce(d.url, secret, d.body, d.id, options.timeoutMs ?? 10_000);
    const attempt = d.attempts + 1;
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const giveUp = !ok && attempt >= MAX_ATTEMPTS;
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto("webhook_attempts")
        .values({
          id: uuidv7(),
          delivery_id: d.id,
          attempt,
          at: nowIso,
          status: result.status,
          error: result.error,
          duration_ms: Math.round(performance.now() - started),
        })
        .execute();
      await tx
        .updateTable("webhook_deliveries")
        .set({
          attempts: attempt,
          last_status: result.status,
          last_error: result.error,
          next_attempt_at: ok || giveUp ? null : later(now, backoffMs(attempt)),
          delivered_at: ok ? nowIso : null,
          failed_at: giveUp ? nowIso : null,
        })
        .where("id", "=", d.id)
        .execute();
    });
    if (ok) report.webhooks.delivered++;
    else if (giveUp) report.webhooks.failed++;
    else report.webhooks.retrying++;
  }

  if (options.mail) {
    const mails = await db.selectFrom("email_outbox").selectAll().where("next_attempt_at", "<=", nowIso).orderBy("next_attempt_at").limit(BATCH).execute();
    for (const m of mails) {
      const claimed = await db
        .updateTable("email_outbox")
        .set({ next_attempt_at: later(now, LEASE_MS) })
        .where("id", "=", m.id)
        .where("next_attempt_at", "=", m.next_attempt_at)
        .where("attempts", "=", m.attempts)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) continue;
      const open = (field: string, sealed: string) => openText(services.vault, "email_outbox", m.id, field, sealed);
      const attempt = m.attempts + 1;
      try {
        await options.mail.sendMail({ to: open("to", m.to_ct), subject: open("subject", m.subject_ct), body: open("body", m.body_ct) });
        await db
          .updateTable("email_outbox")
          .set({ attempts: attempt, sent_at: nowIso, next_attempt_at: null, last_error: null })
          .where("id", "=", m.id)
          .execute();
        report.emails.sent++;
      } catch {
        const giveUp = attempt >= MAX_ATTEMPTS;
        await db
          .updateTable("email_outbox")
          .set({
            attempts: attempt,
            last_error: "send_failed",
            next_attempt_at: giveUp ? null : later(now, backoffMs(attempt)),
            failed_at: giveUp ? nowIso : null,
          })
          .where("id", "=", m.id)
          .execute();
        if (giveUp) report.emails.failed++;
        else report.emails.retrying++;
      }
    }
  }
  return report;
}
