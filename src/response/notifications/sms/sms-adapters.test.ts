import { describe, expect, it } from "vitest";
import { AliyunSmsSender } from "./aliyun-sms.js";
import { SmsError } from "./sms-errors.js";
import type { SmsMessage } from "./sms-sender.js";
import { TencentSmsSender } from "./tencent-sms.js";
import type { Fetch } from "./transport.js";

const PHONE = "13812345678";
const CODE = "482913";
const message: SmsMessage = { to: PHONE, template: "verification_code", params: { code: CODE, minutes: "10" }, language: "zh-CN" };
const templates = { signName: "某某律所", templates: { verification_code: { "zh-CN": "SMS_1", en: "SMS_2" } } };
const tencentTemplates = { signName: "某某律所", templates: { verification_code: { "zh-CN": "101" } } };

/** A fetch that answers `json` and remembers the request. */
function answering(json: unknown, status = 200): Fetch & { requests: { url: string; init: RequestInit }[] } {
  const requests: { url: string; init: RequestInit }[] = [];
  const f = (async (url: URL | string, init?: RequestInit) => {
    requests.push({ url: String(url), init: init ?? {} });
    return new Response(JSON.stringify(json), { status, headers: { "content-type": "application/json" } });
  }) as Fetch & { requests: typeof requests };
  f.requests = requests;
  return f;
}

async function failure(promise: Promise<unknown>): Promise<SmsError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsError);
  const e = error as SmsError;
  // Privacy: neither the number nor the code in anything the error carries.
  expect(JSON.stringify({ message: e.message, code: e.code, providerCode: e.providerCode, stack: e.stack })).not.toMatch(new RegExp(`${PHONE}|${CODE}`));
  return e;
}

describe("Alibaba Cloud SMS adapter", () => {
  const sender = (f: Fetch) => new AliyunSmsSender({ accessKeyId: "id", accessKeySecret: "secret", ...templates, fetch: f });

  it("sends SendSms with the template's named variables and returns the BizId", async () => {
    const f = answering({ Code: "OK", BizId: "900619746936498440^0", RequestId: "r" });
    expect(await sender(f).send(message)).toEqual({ providerMessageId: "900619746936498440^0" });
    const url = new URL(f.requests[0]!.url);
    expect(url.origin).toBe("https://dysmsapi.aliyuncs.com");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      PhoneNumbers: PHONE,
      SignName: "某某律所",
      TemplateCode: "SMS_1",
      TemplateParam: JSON.stringify({ code: CODE, minutes: "10" }),
    });
    const headers = f.requests[0]!.init.headers as Record<string, string>;
    expect(headers["x-acs-action"]).toBe("SendSms");
    expect(headers["x-acs-version"]).toBe("2017-05-25");
    expect(headers.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=[0-9a-f]{64}$/,
    );
    await sender(f).send({ ...message, language: "en" });
    expect(new URL(f.requests[1]!.url).searchParams.get("TemplateCode")).toBe("SMS_2");
  });

  it("maps the provider's errors to safe codes", async () => {
    const cases: [unknown, number, string][] = [
      [{ Code: "isv.BUSINESS_LIMIT_CONTROL", Message: `触发分钟级流控 ${PHONE}` }, 200, "sms_rate_limited"],
      [{ Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: `非法手机号 ${PHONE}` }, 200, "sms_number_invalid"],
      [{ Code: "isv.SMS_TEMPLATE_ILLEGAL" }, 200, "sms_template_rejected"],
      [{ Code: "isv.AMOUNT_NOT_ENOUGH" }, 200, "sms_provider_account"],
      [{ Code: "SignatureDoesNotMatch" }, 400, "sms_provider_auth_failed"],
      [{ Code: `not a code ${CODE}` }, 200, "sms_provider_error"],
      ["<html>", 502, "sms_provider_error"],
    ];
    for (const [json, status, code] of cases) {
      const e = await failure(sender(answering(json, status)).send(message));
      expect(e.code).toBe(code);
    }
  });

  it("refuses a number it cannot send to, a missing template and wrong variables before any request", async () => {
    const f = answering({ Code: "OK", BizId: "x" });
    expect((await failure(sender(f).send({ ...message, to: "12345" }))).code).toBe("sms_number_invalid");
    expect((await failure(sender(f).send({ ...message, template: "incident_notice", params: { reference: "INC-1" } }))).code).toBe("sms_template_missing");
    await expect(sender(f).send({ ...message, params: { code: CODE } })).rejects.toThrow(/takes exactly: code, minutes/);
    expect(f.requests).toHaveLength(0);
  });

  it("turns a network failure into sms_provider_unavailable", async () => {
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as unknown as Fetch;
    expect((await failure(sender(down).send(message))).code).toBe("sms_provider_unavailable");
  });
});

describe("Tencent Cloud SMS adapter", () => {
  const sender = (f: Fetch) => new TencentSmsSender({ secretId: "AKIDtest", secretKey: "key", sdkAppId: "1400006666", ...tencentTemplates, fetch: f });

  it("sends SendSms 2021-01-11 in E.164 with ordered variables and returns the SerialNo", async () => {
    const f = answering({ Response: { SendStatusSet: [{ SerialNo: "2028:f825e6b16e23f73f4123", Code: "Ok" }], RequestId: "r" } });
    expect(await sender(f).send(message)).toEqual({ providerMessageId: "2028:f825e6b16e23f73f4123" });
    const { url, init } = f.requests[0]!;
    expect(url).toBe("https://sms.tencentcloudapi.com/");
    expect(JSON.parse(String(init.body))).toEqual({
      PhoneNumberSet: [`+86${PHONE}`],
      SmsSdkAppId: "1400006666",
      SignName: "某某律所",
      TemplateId: "101",
      TemplateParamSet: [CODE, "10"],
    });
    const headers = init.headers as Record<string, string>;
    expect(headers["x-tc-action"]).toBe("SendSms");
    expect(headers["x-tc-version"]).toBe("2021-01-11");
    expect(headers["x-tc-region"]).toBe("ap-guangzhou");
    expect(headers.authorization).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDtest\/\d{4}-\d{2}-\d{2}\/sms\/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=[0-9a-f]{64}$/,
    );
  });

  it("maps API errors and per-number statuses to safe codes", async () => {
    const cases: [unknown, string][] = [
      [{ Response: { Error: { Code: "AuthFailure.SignatureFailure", Message: "x" } } }, "sms_provider_auth_failed"],
      [{ Response: { SendStatusSet: [{ Code: "LimitExceeded.PhoneNumberThirtySecondLimit", Message: `${PHONE}` }] } }, "sms_rate_limited"],
      [{ Response: { SendStatusSet: [{ Code: "InvalidParameterValue.IncorrectPhoneNumber" }] } }, "sms_number_invalid"],
      [{ Response: { SendStatusSet: [{ Code: "FailedOperation.TemplateIncorrectOrUnapproved" }] } }, "sms_template_rejected"],
      [{ Response: { SendStatusSet: [{ Code: "FailedOperation.InsufficientBalanceInSmsPackage" }] } }, "sms_provider_account"],
      [{ Response: { Error: { Code: "InternalError" } } }, "sms_provider_unavailable"],
      [{}, "sms_provider_error"],
    ];
    for (const [json, code] of cases) expect((await failure(sender(answering(json)).send(message))).code).toBe(code);
  });
});
