/**
 * Alibaba Cloud SMS (Dysmsapi 2017-05-25, SendSms) signed with ACS3-HMAC-SHA256. Parameters travel
 * in the query string of a POST with an empty body, as the RPC-style API expects.
 */
import { randomBytes } from "node:crypto";
import { acs3PayloadHash, signAcs3 } from "./acs3-signature.js";
import { canonicalQuery } from "./percent-encoding.js";
import { aliyunPhoneNumber, toE164 } from "./phone-number.js";
import { SmsError, type SmsErrorCode, safeProviderCode } from "./sms-errors.js";
import { type SmsMessage, type SmsSender, type SmsTemplateConfig, approvedTemplateCode, orderedParams, SMS_TEMPLATES } from "./sms-sender.js";
import { checkedEndpoint, DEFAULT_SMS_TIMEOUT_MS, type Fetch, postJson } from "./transport.js";

export const ALIYUN_SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com";
const ACTION = "SendSms";
const VERSION = "2017-05-25";

export interface AliyunSmsOptions extends SmsTemplateConfig {
  accessKeyId: string;
  accessKeySecret: string;
  endpoint?: string | undefined;
  timeoutMs?: number | undefined;
  fetch?: Fetch | undefined;
  now?: (() => Date) | undefined;
}

/** Alibaba's documented error codes, grouped into Custodia's (https://help.aliyun.com/zh/sms/developer-reference/api-error-codes). */
function errorFor(code: string | null, httpStatus: number): SmsErrorCode {
  if (code === null) return httpStatus === 401 || httpStatus === 403 ? "sms_provider_auth_failed" : "sms_provider_error";
  if (/^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|Forbidden|InvalidTimeStamp|SignatureNonceUsed|isv\.ACCOUNT_)/.test(code))
    return "sms_provider_auth_failed";
  if (/^isv\.(BUSINESS_LIMIT_CONTROL|DAY_LIMIT_CONTROL|MONTH_LIMIT_CONTROL)/.test(code)) return "sms_rate_limited";
  if (/^isv\.(MOBILE_NUMBER_ILLEGAL|MOBILE_COUNT_OVER_LIMIT|BLACK_KEY_CONTROL_LIMIT)/.test(code)) return "sms_number_invalid";
  if (/^isv\.(SMS_TEMPLATE|SMS_SIGN|SMS_SIGNATURE|TEMPLATE|PARAM|INVALID_JSON_PARAM|SMS_CONTENT)/.test(code)) return "sms_template_rejected";
  if (/^isv\.(AMOUNT_NOT_ENOUGH|OUT_OF_SERVICE|PRODUCT_UN_SUBSCRIPT|PRODUCT_UNSUBSCRIBE)/.test(code)) return "sms_provider_account";
  if (/^(Throttling|ServiceUnavailable|InternalError)/.test(code)) return "sms_provider_unavailable";
  return "sms_provider_error";
}

export class AliyunSmsSender implements SmsSender {
  readonly #options: AliyunSmsOptions;
  readonly #endpoint: URL;

  constructor(options: AliyunSmsOptions) {
    this.#options = options;
    this.#endpoint = checkedEndpoint(options.endpoint ?? ALIYUN_SMS_ENDPOINT);
  }

  async send(message: SmsMessage): Promise<{ providerMessageId: string }> {
    const o = this.#options;
    const e164 = toE164(message.to);
    if (!e164) throw new SmsError("sms_number_invalid");
    const templateCode = approvedTemplateCode(o, message.template, message.language);
    if (!templateCode) throw new SmsError("sms_template_missing");
    const values = orderedParams(message.template, message.params);
    // Alibaba's templates name their variables: ${code}, ${minutes} …
    const templateParam = JSON.stringify(Object.fromEntries(SMS_TEMPLATES[message.template].map((name, i) => [name, values[i]])));
    const query = { PhoneNumbers: aliyunPhoneNumber(e164), SignName: o.signName, TemplateCode: templateCode, TemplateParam: templateParam };
    const body = "";
    const headers = {
      host: this.#endpoint.host,
      "x-acs-action": ACTION,
      "x-acs-version": VERSION,
      "x-acs-date": (o.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      "x-acs-signature-nonce": randomBytes(16).toString("hex"),
      "x-acs-content-sha256": acs3PayloadHash(body),
    };
    const signed = signAcs3({ method: "POST", path: "/", query, headers, body }, o.accessKeyId, o.accessKeySecret);
    // The query is sent exactly as it was canonicalised, so the provider decodes what was signed.
    const url = new URL(`/?${canonicalQuery(query)}`, this.#endpoint);
    // fetch sets Host from the URL itself; it is signed with the same value.
    const { host: _host, ...sent } = headers;
    const { status, json } = await postJson(
      o.fetch ?? fetch,
      url,
      { headers: { ...sent, authorization: signed.authorization } },
      o.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS,
    );
    const answer = (json ?? {}) as { Code?: unknown; BizId?: unknown };
    if (status === 200 && answer.Code === "OK" && typeof answer.BizId === "string") return { providerMessageId: answer.BizId };
    const code = safeProviderCode(answer.Code);
    throw new SmsError(errorFor(code, status), code);
  }
}
