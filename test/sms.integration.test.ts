import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Services } from "../src/platform/services.js";
import { AliyunSmsSender } from "../src/response/notifications/sms/aliyun-sms.js";
import { smsCodeSenderFromEnv } from "../src/response/notifications/sms/sms-config.js";
import { SmsError } from "../src/response/notifications/sms/sms-errors.js";
import { NUMBER_MAC_PURPOSE, SmsRateLimiter } from "../src/response/notifications/sms/sms-rate-limit.js";
import type { SmsMessage } from "../src/response/notifications/sms/sms-sender.js";
import type { SmsTables } from "../src/response/notifications/sms/tables.js";
import { TencentSmsSender } from "../src/response/notifications/sms/tencent-sms.js";
import type { CodeMessage } from "../src/rights/requests/code-sender.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";
import { type SmsFake, startAliyunFake, startTencentFake } from "./support/sms-fakes.js";

const ALIYUN_KEY = { accessKeyId: "LTAI5tFakeKeyId", accessKeySecret: "fake-aliyun-secret" };
const TENCENT_KEY = { secretId: "AKIDfakeSecretId", secretKey: "fake-tencent-key", sdkAppId: "1400006666" };
const SIGN_NAME = "某某律师事务所";

const envFor = (provider: "aliyun" | "tencent", endpoint: string): Record<string, string> => ({
  CUSTODIA_SMS_PROVIDER: provider,
  CUSTODIA_SMS_ENDPOINT: endpoint,
  CUSTODIA_SMS_SIGN_NAME: SIGN_NAME,
  ...(provider === "aliyun"
    ? {
        CUSTODIA_SMS_ACCESS_KEY_ID: ALIYUN_KEY.accessKeyId,
        CUSTODIA_SMS_ACCESS_KEY_SECRET: ALIYUN_KEY.accessKeySecret,
        CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE: "SMS_465890123",
        CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE_EN: "SMS_465890124",
      }
    : {
        CUSTODIA_SMS_ACCESS_KEY_ID: TENCENT_KEY.secretId,
        CUSTODIA_SMS_ACCESS_KEY_SECRET: TENCENT_KEY.secretKey,
        CUSTODIA_SMS_SDK_APP_ID: TENCENT_KEY.sdkAppId,
        CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE: "2134567",
      }),
});

const code = (to: string, language: "zh-CN" | "en" = "zh-CN"): CodeMessage => ({ channel: "phone", to, code: "604213", requestId: "req-1", language });
const sms = (to: string): SmsMessage => ({ to, template: "verification_code", params: { code: "604213", minutes: "10" }, language: "zh-CN" });

async function smsError(promise: Promise<unknown>): Promise<SmsError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsError);
  return error as SmsError;
}

/** A fetch that passes requests through and keeps a copy, to replay them altered. */
function recordingFetch() {
  const sent: { url: string; init: RequestInit }[] = [];
  const f = (url: URL | string, init?: RequestInit) => {
    sent.push({ url: String(url), init: { ...init } });
    return fetch(url, init);
  };
  return { fetch: f as typeof fetch, sent };
}

for (const dialect of DIALECTS) {
  describe(`${dialect}: SMS`, () => {
    let db: TestDatabase;
    let services: Services;
    let other: Services;
    let aliyun: SmsFake;
    let tencent: SmsFake;

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
      // A second server on the same database.
      other = await db.open();
      aliyun = await startAliyunFake(ALIYUN_KEY);
      tencent = await startTencentFake(TENCENT_KEY);
    });
    afterAll(async () => {
      await aliyun?.close();
      await tencent?.close();
      await other?.close();
      await services?.close();
      await db?.cleanup();
    });

    it("limits each number across servers: one a minute and N a day, then a new day", async () => {
      const limits = { minIntervalSeconds: 60, maxPerDay: 3 };
      const here = new SmsRateLimiter(services.engine.db, services.vault, limits);
      const there = new SmsRateLimiter(other.engine.db, other.vault, limits);
      const t0 = Date.parse("2026-03-02T08:00:00.000Z");
      const at = (seconds: number) => new Date(t0 + seconds * 1000);
      expect(await here.consume("13800001111", at(0))).toBe(true);
      // The same number typed otherwise, on the other server, within the minute.
      expect(await there.consume("+86 138-0000-1111", at(30))).toBe(false);
      expect(await there.consume("13800001111", at(60))).toBe(true);
      // Another number is not held back.
      expect(await there.consume("13800002222", at(61))).toBe(true);
      expect(await here.consume("13800001111", at(120))).toBe(true);
      expect(await here.consume("13800001111", at(180))).toBe(false);
      expect(await there.consume("13800001111", at(3600))).toBe(false);
      // The 24-hour window that opened with the first message has closed.
      expect(await there.consume("13800001111", at(24 * 3600))).toBe(true);
    });

    it("lets exactly one of many simultaneous sends to a number through", async () => {
      const here = new SmsRateLimiter(services.engine.db, services.vault);
      const there = new SmsRateLimiter(other.engine.db, other.vault);
      const now = new Date("2026-03-03T09:00:00.000Z");
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? here : there).consume("13900003333", now)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it("stores a keyed MAC of the number, never the number", async () => {
      const here = new SmsRateLimiter(services.engine.db, services.vault);
      await here.consume("+86 137 0000 4444", new Date("2026-03-04T10:00:00.000Z"));
      const rows = await services.engine.db.withTables<SmsTables>().selectFrom("sms_rate_limits").selectAll().execute();
      expect(rows.map((r) => r.number_mac)).toContain(services.vault.mac(NUMBER_MAC_PURPOSE, "+8613700004444"));
      expect(JSON.stringify(rows)).not.toMatch(/13700004444|0000.?4444/);
    });

    it("sends a portal code through Alibaba Cloud SMS (the fake checks the V3 signature), once a minute", async () => {
      const sender = smsCodeSenderFromEnv(envFor("aliyun", aliyun.url), services)!;
      await sender.send(code("13800005555"));
      await sender.send(code("+85291234567", "en"));
      expect(aliyun.refused).toEqual([]);
      expect(aliyun.accepted).toEqual([
        { phone: "13800005555", signName: SIGN_NAME, template: "SMS_465890123", params: { code: "604213", minutes: "10" } },
        { phone: "85291234567", signName: SIGN_NAME, template: "SMS_465890124", params: { code: "604213", minutes: "10" } },
      ]);
      const refused = await smsError(sender.send(code("138 0000 5555")));
      expect(refused.code).toBe("sms_rate_limited");
      expect(refused.status).toBe(429);
      expect(aliyun.accepted).toHaveLength(2);
      await expect(sender.send({ ...code("13800005556"), channel: "email" })).rejects.toThrow(/phone codes only/);
    });

    it("sends a portal code through Tencent Cloud SMS (the fake checks TC3), once a minute", async () => {
      const sender = smsCodeSenderFromEnv(envFor("tencent", tencent.url), services)!;
      await sender.send(code("13800006666"));
      expect(tencent.refused).toEqual([]);
      expect(tencent.accepted).toEqual([{ phone: "+8613800006666", signName: SIGN_NAME, template: "2134567", params: ["604213", "10"] }]);
      expect((await smsError(sender.send(code("+8613800006666")))).code).toBe("sms_rate_limited");
      expect(tencent.accepted).toHaveLength(1);
    });

    it("is refused by the fakes when signed with the wrong secret", async () => {
      const wrongAliyun = new AliyunSmsSender({
        ...ALIYUN_KEY,
        accessKeySecret: "not-the-secret",
        signName: SIGN_NAME,
        templates: { verification_code: { "zh-CN": "SMS_1" } },
        endpoint: aliyun.url,
      });
      expect((await smsError(wrongAliyun.send(sms("13800007777")))).code).toBe("sms_provider_auth_failed");
      expect(aliyun.refused.at(-1)).toBe("signature");
      const wrongTencent = new TencentSmsSender({
        ...TENCENT_KEY,
        secretKey: "not-the-key",
        signName: SIGN_NAME,
        templates: { verification_code: { "zh-CN": "1" } },
        endpoint: tencent.url,
      });
      expect((await smsError(wrongTencent.send(sms("13800007777")))).code).toBe("sms_provider_auth_failed");
      expect(tencent.refused.at(-1)).toBe("signature");
    });

    it("is refused by the fakes when a signed request is tampered with or replayed", async () => {
      const a = recordingFetch();
      const aliyunSender = new AliyunSmsSender({
        ...ALIYUN_KEY,
        signName: SIGN_NAME,
        templates: { verification_code: { "zh-CN": "SMS_1" } },
        endpoint: aliyun.url,
        fetch: a.fetch,
      });
      await aliyunSender.send(sms("13800008888"));
      const original = a.sent[0]!;
      const redirected = original.url.replace("PhoneNumbers=13800008888", "PhoneNumbers=13900009999");
      expect(redirected).not.toBe(original.url);
      expect((await fetch(redirected, original.init)).status).toBe(400);
      expect(aliyun.refused.at(-1)).toBe("signature");
      // Unchanged but sent twice: the nonce was spent.
      expect((await fetch(original.url, original.init)).status).toBe(400);
      expect(aliyun.refused.at(-1)).toBe("nonce");

      const t = recordingFetch();
      const tencentSender = new TencentSmsSender({
        ...TENCENT_KEY,
        signName: SIGN_NAME,
        templates: { verification_code: { "zh-CN": "1" } },
        endpoint: tencent.url,
        fetch: t.fetch,
      });
      await tencentSender.send(sms("13800008888"));
      const sent = t.sent[0]!;
      const body = String(sent.init.body).replace("+8613800008888", "+8613900009999");
      const answer = (await (await fetch(sent.url, { ...sent.init, body })).json()) as { Response: { Error?: { Code: string } } };
      expect(answer.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
      expect(tencent.refused.at(-1)).toBe("signature");
    });

    it("maps a provider refusal to a safe code, and times out on a provider that does not answer", async () => {
      const sender = new TencentSmsSender({
        ...TENCENT_KEY,
        signName: SIGN_NAME,
        templates: { verification_code: { "zh-CN": "1" } },
        endpoint: tencent.url,
        timeoutMs: 300,
      });
      tencent.failWith.push("LimitExceeded.PhoneNumberDailyLimit");
      const limited = await smsError(sender.send(sms("13800001010")));
      expect(limited.code).toBe("sms_rate_limited");
      expect(limited.providerCode).toBe("LimitExceeded.PhoneNumberDailyLimit");
      expect(`${limited.message} ${limited.stack}`).not.toContain("13800001010");
      tencent.hang = true;
      try {
        expect((await smsError(sender.send(sms("13800001011")))).code).toBe("sms_timeout");
      } finally {
        tencent.hang = false;
      }
    });
  });
}
