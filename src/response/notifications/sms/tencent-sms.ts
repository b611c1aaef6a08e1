/**
 * Tencent Cloud SMS (sms.tencentcloudapi.com, SendSms, version 2021-01-11) signed with
 * TC3-HMAC-SHA256. The answer is HTTP 200 even on failure: the outcome is Response.Error or the
 * per-number SendStatusSet[].Code ("Ok").
 */
import { toE164 } from "./phone-number.js";
import { SmsError, type SmsErrorCode, safeProviderCode } from "./sms-errors.js";
import { type SmsMessage, type SmsSender, type SmsTemplateConfig, approvedTemplateCode, orderedParams } from "./sms-sender.js";
import { signTc3 } from "./tc3-signature.js";
import { checkedEndpoint, DEFAULT_SMS_TIMEOUT_MS, type Fetch, postJson } from "./transport.js";

export const TENCENT_SMS_ENDPOINT = "https://sms.tencentcloudapi.com";
export const TENCENT_DEFAULT_REGION = "ap-guangzhou";
const SERVICE = "sms";
const ACTION = "SendSms";
const VERSION = "2021-01-11";
const CONTENT_TYPE = "application/json; charset=utf-8";

export interface TencentSmsOptions extends SmsTemplateConfig {
  secretId: string;
  secretKey: string;
  /** The SMS application (SmsSdkAppId, e.g. 1400006666). */
  sdkAppId: string;
  region?: string | undefined;
  endpoint?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  now?: (() => Date) | undefined;
}

/** Tencent's documented error codes (https://cloud.tencent.com/document/product/382/52075), grouped into Custodia's. */
function errorFor(code: string | null): SmsErrorCode {
  if (code === null) return "sms_provider_error";
  if (/^(AuthFailure|UnauthorizedOperation)/.test(code)) return "sms_provider_auth_failed";
  if (/^LimitExceeded\.(PhoneNumber|DeliveryFrequency|AppDailyLimit|DailyLimit)/.test(code)) return "sms_rate_limited";
  if (/^(InvalidParameterValue\.IncorrectPhoneNumber|FailedOperation\.PhoneNumberInBlacklist|UnsupportedOperation\.UnsupportedRegion)/.test(code))
    return "sms_number_invalid";
  if (/^FailedOperation\.(InsufficientBalance|ServiceSuspend)/.test(code)) return "sms_provider_account";
  if (
    /^(FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|MissingSignature|ContentAndSignAreNotMatch)|InvalidParameterValue\.(TemplateParameter|ProhibitedUseUrlInTemplateParameter|SdkAppIdNotExist|InvalidSign)|UnsupportedOperation\.ChineseMainlandTemplateToGlobalPhone)/.test(
      code,
    )
  )
    return "sms_template_rejected";
  if (/^(InternalError|RequestLimitExceeded|ResourceUnavailable)/.test(code)) return "sms_provider_unavailable";
  return "sms_provider_error";
}

interface TencentAnswer {
  Response?: {
    Error?: { Code?: unknown };
    SendStatusSet?: { Code?: unknown; SerialNo?: unknown }[];
  };
}

export class TencentSmsSender implements SmsSender {
  readonly #options: TencentSmsOptions;
  readonly #endpoint: URL;

  constructor(options: TencentSmsOptions) {
    this.#options = options;
    this.#endpoint = checkedEndpoint(options.endpoint ?? TENCENT_SMS_ENDPOINT);
  }

  async send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    const o = this.#options;
    const e164 = toE164(message.to);
    if (!e164) throw new SmsError("sms_number_invalid");
    const templateId = approvedTemplateCode(o, message.template, message.language);
    if (!templateId) throw new SmsError("sms_template_missing");
    // Tencent's templates number their variables: {1}, {2} … in the template's declared order.
    const payload = JSON.stringify({
      PhoneNumberSet: [e164],
      SmsSdkAppId: o.sdkAppId,
      SignName: o.signName,
      TemplateId: templateId,
      TemplateParamSet: orderedParams(message.template, message.params),
    });
    const timestamp = Math.floor((o.now?.() ?? new Date()).getTime() / 1000);
    const signedHeaders = { "content-type": CONTENT_TYPE, host: this.#endpoint.host, "x-tc-action": ACTION };
    const signed = signTc3({ method: "POST", query: "", headers: signedHeaders, payload, service: SERVICE, timestamp }, o.secretId, o.secretKey);
    const headers = {
      authorization: signed.authorization,
      "content-type": CONTENT_TYPE,
      "x-tc-action": ACTION,
      "x-tc-version": VERSION,
      "x-tc-timestamp": String(timestamp),
      "x-tc-region": o.region ?? TENCENT_DEFAULT_REGION,
    };
    const { status, json } = await postJson(o.fetch ?? fetch, this.#endpoint, { headers, body: payload }, o.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS);
    const response = (json as TencentAnswer | null)?.Response;
    if (status !== 200 || !response) throw new SmsError(status >= 500 ? "sms_provider_unavailable" : "sms_provider_error");
    if (response.Error) {
      const code = safeProviderCode(response.Error.Code);
      throw new SmsError(errorFor(code), code);
    }
    const result = response.SendStatusSet?.[0];
    if (result?.Code === "Ok" && typeof result.SerialNo === "string") return { providerMessageId: result.SerialNo };
    const code = safeProviderCode(result?.Code);
    throw new SmsError(errorFor(code), code);
  }
}
