/**
 * SMS failures as stable codes. Messages are fixed text: a provider's own message may echo the
 * number or the template values, so it is never kept. Only the provider's error code, reduced to
 * a safe alphabet, travels along for the operator (`providerCode`).
 */
import { AppError } from "../../../platform/errors.js";

export type SmsErrorCode =
  | "sms_rate_limited"
  | "sms_number_invalid"
  | "sms_template_missing"
  | "sms_template_rejected"
  | "sms_provider_auth_failed"
  | "sms_provider_account"
  | "sms_provider_error"
  | "sms_provider_unavailable"
  | "sms_timeout";

const MESSAGES: Record<SmsErrorCode, [number, string]> = {
  sms_rate_limited: [429, "Too many text messages to this number; try again later."],
  sms_number_invalid: [400, "The phone number on file cannot receive text messages."],
  sms_template_missing: [503, "No approved SMS template is configured for this message."],
  sms_template_rejected: [502, "The SMS provider refused the template or signature name; check their approval."],
  sms_provider_auth_failed: [502, "The SMS provider refused Custodia's credentials."],
  sms_provider_account: [502, "The SMS provider account cannot send (balance or service status)."],
  sms_provider_error: [502, "The SMS provider did not send the message."],
  sms_provider_unavailable: [503, "The SMS provider could not be reached."],
  sms_timeout: [504, "The SMS provider did not answer in time."],
};

export class SmsError extends AppError {
  constructor(
    code: SmsErrorCode,
    /** The provider's error code (e.g. isv.BUSINESS_LIMIT_CONTROL), safe characters only. */
    readonly providerCode: string | null = null,
  ) {
    const [status, message] = MESSAGES[code];
    super(status, code, message);
    this.name = "SmsError";
  }
}

/** A provider error code kept only if it looks like one: never a sentence that might hold a number. */
export const safeProviderCode = (value: unknown): string | null => (typeof value === "string" && /^[A-Za-z][A-Za-z0-9._-]{0,79}$/.test(value) ? value : null);

export const SmsRateLimitedError = () => new SmsError("sms_rate_limited");
