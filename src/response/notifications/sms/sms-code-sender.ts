/**
 * Portal verification codes by text message: a CodeSender (src/rights/requests/code-sender.ts)
 * for the phone channel. Each message first passes the per-number rate limit; a refusal is the
 * stable `sms_rate_limited` error, and nothing is sent.
 */
import type { CodeMessage, CodeSender } from "../../../rights/requests/code-sender.js";
import { SmsRateLimitedError } from "./sms-errors.js";
import type { SmsRateLimiter } from "./sms-rate-limit.js";
import type { SmsSender } from "./sms-sender.js";

export interface SmsCodeSenderOptions {
  /** How long a portal code stays valid, shown in the message (RequestSettings.codeTtlMs). */
  codeTtlMinutes?: number;
  now?: () => Date;
}

export class SmsCodeSender implements CodeSender {
  readonly #sms: SmsSender;
  readonly #limiter: SmsRateLimiter;
  readonly #ttlMinutes: number;
  readonly #now: () => Date;

  constructor(sms: SmsSender, limiter: SmsRateLimiter, options: SmsCodeSenderOptions = {}) {
    this.#sms = sms;
    this.#limiter = limiter;
    this.#ttlMinutes = options.codeTtlMinutes ?? 10;
    this.#now = options.now ?? (() => new Date());
  }

  async send(message: CodeMessage): Promise<void> {
    // Email codes go elsewhere; reaching here with one is a wiring mistake, not a user's error.
    if (message.channel !== "phone") throw new Error("SmsCodeSender delivers phone codes only");
    if (!(await this.#limiter.consume(message.to, this.#now()))) throw SmsRateLimitedError();
    await this.#sms.send({
      to: message.to,
      template: "verification_code",
      params: { code: message.code, minutes: String(this.#ttlMinutes) },
      language: message.language,
    });
  }
}
