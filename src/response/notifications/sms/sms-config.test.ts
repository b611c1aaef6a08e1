import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AliyunSmsSender } from "./aliyun-sms.js";
import { describeSmsSetup, smsRateLimitsFromEnv, smsSenderFromEnv } from "./sms-config.js";
import { TencentSmsSender } from "./tencent-sms.js";

const SECRET = "s3cr3t-value-never-printed";
const ALIYUN = {
  CUSTODIA_SMS_PROVIDER: "aliyun",
  CUSTODIA_SMS_ACCESS_KEY_ID: "LTAI-test",
  CUSTODIA_SMS_ACCESS_KEY_SECRET: SECRET,
  CUSTODIA_SMS_SIGN_NAME: "某某律师事务所",
  CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE: "SMS_100000001",
};
const TENCENT = {
  ...ALIYUN,
  CUSTODIA_SMS_PROVIDER: "tencent",
  CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE: "1234567",
  CUSTODIA_SMS_SDK_APP_ID: "1400006666",
};

describe("SMS configuration", () => {
  it("is the development outbox when nothing is configured, and says so", () => {
    expect(smsSenderFromEnv({})).toBeNull();
    const setup = describeSmsSetup({});
    expect(setup.provider).toBe("dev-outbox");
    expect(setup.problems.join(" ")).toMatch(/development outbox/);
  });

  it("builds the configured provider's sender", () => {
    expect(smsSenderFromEnv(ALIYUN)).toBeInstanceOf(AliyunSmsSender);
    expect(smsSenderFromEnv(TENCENT)).toBeInstanceOf(TencentSmsSender);
    expect(describeSmsSetup(ALIYUN)).toEqual({ provider: "aliyun", problems: [] });
    expect(describeSmsSetup(TENCENT)).toEqual({ provider: "tencent", problems: [] });
  });

  it("names every missing variable, never a value", () => {
    const setup = describeSmsSetup({ CUSTODIA_SMS_PROVIDER: "tencent", CUSTODIA_SMS_ACCESS_KEY_SECRET: SECRET, CUSTODIA_SMS_REGION: "Guangzhou!" });
    expect(setup.provider).toBe("tencent");
    const text = setup.problems.join("\n");
    for (const name of [
      "CUSTODIA_SMS_ACCESS_KEY_ID",
      "CUSTODIA_SMS_SIGN_NAME",
      "CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE",
      "CUSTODIA_SMS_SDK_APP_ID",
      "CUSTODIA_SMS_REGION",
    ]) {
      expect(text).toContain(name);
    }
    expect(text).not.toContain(SECRET);
    expect(() => smsSenderFromEnv({ ...TENCENT, CUSTODIA_SMS_SDK_APP_ID: "" })).toThrow(/CUSTODIA_SMS_SDK_APP_ID/);
    expect(() => smsSenderFromEnv({ CUSTODIA_SMS_PROVIDER: "twilio" })).toThrow(/aliyun or tencent/);
  });

  it("checks template codes against the provider's form", () => {
    expect(describeSmsSetup({ ...ALIYUN, CUSTODIA_SMS_TEMPLATE_VERIFICATION_CODE: "1234567" }).problems.join()).toMatch(/does not look like a aliyun template/);
    expect(describeSmsSetup({ ...TENCENT, CUSTODIA_SMS_TEMPLATE_INCIDENT_NOTICE_EN: "7654321" }).problems.join()).toMatch(/_EN is set without/);
  });

  it("refuses plain http except to loopback", () => {
    expect(describeSmsSetup({ ...ALIYUN, CUSTODIA_SMS_ENDPOINT: "http://sms.example.com" }).problems.join()).toMatch(/must use https/);
    expect(describeSmsSetup({ ...ALIYUN, CUSTODIA_SMS_ENDPOINT: "https://sms.example.com/path?x=1" }).problems.join()).toMatch(/origin only/);
    for (const ok of ["http://127.0.0.1:9000", "http://[::1]:9000", "http://localhost:9000", "https://dysmsapi.aliyuncs.com"]) {
      expect(describeSmsSetup({ ...ALIYUN, CUSTODIA_SMS_ENDPOINT: ok }).problems).toEqual([]);
    }
    expect(() => new AliyunSmsSender({ accessKeyId: "a", accessKeySecret: "b", signName: "c", templates: {}, endpoint: "http://10.0.0.5" })).toThrow(/https/);
  });

  it("reads the secret from an owner-only file", () => {
    const dir = mkdtempSync(join(tmpdir(), "custodia-sms-"));
    const file = join(dir, "secret");
    writeFileSync(file, `${SECRET}\n`, { mode: 0o600 });
    const env = { ...ALIYUN, CUSTODIA_SMS_ACCESS_KEY_SECRET: undefined, CUSTODIA_SMS_ACCESS_KEY_SECRET_FILE: file };
    expect(describeSmsSetup(env).problems).toEqual([]);
    chmodSync(file, 0o644);
    expect(describeSmsSetup(env).problems.join()).toMatch(/readable by group or others/);
    expect(describeSmsSetup({ ...env, CUSTODIA_SMS_ACCESS_KEY_SECRET_FILE: join(dir, "absent") }).problems.join()).toMatch(/Cannot read .*ENOENT/);
    expect(describeSmsSetup({ ...env, CUSTODIA_SMS_ACCESS_KEY_SECRET: SECRET }).problems.join()).toMatch(/not both/);
  });

  it("reads the per-number limits", () => {
    expect(smsRateLimitsFromEnv({})).toEqual({ minIntervalSeconds: 60, maxPerDay: 10 });
    expect(smsRateLimitsFromEnv({ CUSTODIA_SMS_MIN_INTERVAL_SECONDS: "30", CUSTODIA_SMS_MAX_PER_DAY: "5" })).toEqual({ minIntervalSeconds: 30, maxPerDay: 5 });
    expect(() => smsRateLimitsFromEnv({ CUSTODIA_SMS_MAX_PER_DAY: "0" })).toThrow(/CUSTODIA_SMS_MAX_PER_DAY/);
  });
});
