/**
 * SMS configuration from the environment. Nothing configured: null, and portal phone codes stay in
 * the development outbox. Configured but incomplete: a ConfigError at start, naming the variable
 * (never a value). `describeSmsSetup` gives `custodia doctor` the same findings without throwing.
 */
import { readFileSync, statSync } from "node:fs";
import { ConfigError } from "../../../platform/config.js";
import type { Services } from "../../../platform/services.js";
import { ALIYUN_SMS_ENDPOINT, AliyunSmsSender } from "./aliyun-sms.js";
import { SmsCodeSender } from "./sms-code-sender.js";
import { DEFAULT_SMS_RATE_LIMITS, SmsRateLimiter, type SmsRateLimits } from "./sms-rate-limit.js";
import { type ApprovedTemplate, SMS_TEMPLATE_NAMES, type SmsSender, type SmsTemplateConfig, type SmsTemplateName } from "./sms-sender.js";
import { TENCENT_DEFAULT_REGION, TENCENT_SMS_ENDPOINT, TencentSmsSender } from "./tencent-sms.js";
import { DEFAULT_SMS_TIMEOUT_MS, endpointProblem, type Fetch } from "./transport.js";

type Env = Readonly<Record<string, string | undefined>>;
export type SmsProviderName = "aliyun" | "tencent";

export interface SmsSetup {
  provider: SmsProviderName | "dev-outbox";
  /** What to fix, one sentence each; never a secret or a value. */
  problems: string[];
}

export interface SmsDeps {
  fetch?: Fetch;
  now?: () => Date;
  timeoutMs?: number;
}

/** CUSTODIA_SMS_TEMPLATE_<NAME> (and <NAME>_EN for an English template). */
export const templateVariable = (name: SmsTemplateName) => `CUSTODIA_SMS_TEMPLATE_${name.toUpperCase()}`;

// Alibaba's template codes read SMS_123456789; Tencent's template IDs are numbers.
const TEMPLATE_CODE: Record<SmsProviderName, RegExp> = { aliyun: /^SMS_\d+$/, tencent: /^\d+$/ };

interface Parsed {
  provider: SmsProviderName;
  problems: string[];
  accessKeyId: string;
  accessKeySecret: string;
  templates: SmsTemplateConfig;
  endpoint: string;
  sdkAppId: string;
  region: string;
}

/** VAR or VAR_FILE (owner-only), one of them; the file's trailing newline is dropped. */
function secret(env: Env, name: string, problems: string[]): string {
  const value = env[name];
  const file = env[`${name}_FILE`];
  if (value && file) problems.push(`Set ${name} or ${name}_FILE, not both.`);
  if (value) return value;
  if (!file) {
    problems.push(`${name} (or ${name}_FILE) is required.`);
    return "";
  }
  try {
    // A key readable by other local users is a key they hold.
    if (statSync(file).mode & 0o077) problems.push(`${name}_FILE is readable by group or others; chmod 600 it.`);
    const read = readFileSync(file, "utf8").replace(/\r?\n$/, "");
    if (!read) problems.push(`${name}_FILE is empty.`);
    return read;
  } catch (error) {
    problems.push(`Cannot read ${name}_FILE (${(error as NodeJS.ErrnoException).code ?? "error"}).`);
    return "";
  }
}

function parse(env: Env, provider: SmsProviderName): Parsed {
  const problems: string[] = [];
  const text = (name: string) => env[name]?.trim() ?? "";
  const accessKeyId = text("CUSTODIA_SMS_ACCESS_KEY_ID");
  if (!accessKeyId) problems.push("CUSTODIA_SMS_ACCESS_KEY_ID is required.");
  const accessKeySecret = secret(env, "CUSTODIA_SMS_ACCESS_KEY_SECRET", problems);
  const signName = text("CUSTODIA_SMS_SIGN_NAME");
  if (!signName) problems.push("CUSTODIA_SMS_SIGN_NAME (the provider-approved signature name) is required.");
  else if (/[\p{Cc}]/u.test(signName)) problems.push("CUSTODIA_SMS_SIGN_NAME holds a control character.");
  const templates: Partial<Record<SmsTemplateName, ApprovedTemplate>> = {};
  for (const name of SMS_TEMPLATE_NAMES) {
    const variable = templateVariable(name);
    const zh = text(variable);
    const en = text(`${variable}_EN`) || undefined;
    for (const [v, code] of [
      [variable, zh],
      [`${variable}_EN`, en],
    ] as const) {
      if (code && !TEMPLATE_CODE[provider].test(code)) problems.push(`${v} does not look like a ${provider} template code.`);
    }
    if (zh) templates[name] = { "zh-CN": zh, en };
    else if (en) problems.push(`${variable}_EN is set without ${variable}.`);
  }
  if (!templates.verification_code) problems.push(`${templateVariable("verification_code")} is required (portal verification codes).`);
  const endpoint = text("CUSTODIA_SMS_ENDPOINT") || (provider === "aliyun" ? ALIYUN_SMS_ENDPOINT : TENCENT_SMS_ENDPOINT);
  const endpointIssue = endpointProblem(endpoint);
  if (endpointIssue) problems.push(`CUSTODIA_SMS_ENDPOINT ${endpointIssue}.`);
  const sdkAppId = text("CUSTODIA_SMS_SDK_APP_ID");
  const region = text("CUSTODIA_SMS_REGION") || TENCENT_DEFAULT_REGION;
  if (provider === "tencent") {
    if (!/^\d+$/.test(sdkAppId)) problems.push("CUSTODIA_SMS_SDK_APP_ID (the SMS application's SdkAppId, digits) is required for Tencent.");
    if (!/^[a-z]+(-[a-z]+)+(-\d+)?$/.test(region)) problems.push("CUSTODIA_SMS_REGION is not a Tencent Cloud region (e.g. ap-guangzhou).");
  }
  return { provider, problems, accessKeyId, accessKeySecret, templates: { signName, templates }, endpoint, sdkAppId, region };
}

function positiveInt(env: Env, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= 1 && n <= 86_400) return n;
  problems.push(`${name} must be a whole number from 1 to 86400.`);
  return fallback;
}

function limitsOf(env: Env, problems: string[]): SmsRateLimits {
  return {
    minIntervalSeconds: positiveInt(env, "CUSTODIA_SMS_MIN_INTERVAL_SECONDS", DEFAULT_SMS_RATE_LIMITS.minIntervalSeconds, problems),
    maxPerDay: positiveInt(env, "CUSTODIA_SMS_MAX_PER_DAY", DEFAULT_SMS_RATE_LIMITS.maxPerDay, problems),
  };
}

function providerOf(env: Env): SmsProviderName | null | "unknown" {
  const value = env.CUSTODIA_SMS_PROVIDER?.trim();
  if (!value) return null;
  return value === "aliyun" || value === "tencent" ? value : "unknown";
}

/** The per-number limits (CUSTODIA_SMS_MIN_INTERVAL_SECONDS, CUSTODIA_SMS_MAX_PER_DAY). */
export function smsRateLimitsFromEnv(env: Env = process.env): SmsRateLimits {
  const problems: string[] = [];
  const limits = limitsOf(env, problems);
  if (problems.length) throw new ConfigError(problems.join(" "));
  return limits;
}

/** For `custodia doctor`: which provider sends portal SMS, and what to fix. */
export function describeSmsSetup(env: Env = process.env): SmsSetup {
  const provider = providerOf(env);
  if (provider === "unknown") return { provider: "dev-outbox", problems: ["CUSTODIA_SMS_PROVIDER must be aliyun or tencent."] };
  if (provider === null) {
    const stray = Object.keys(env).some((k) => k.startsWith("CUSTODIA_SMS_") && env[k]);
    return {
      provider: "dev-outbox",
      problems: [
        "No SMS provider is configured (CUSTODIA_SMS_PROVIDER): portal phone codes go to the development outbox, which must not run in production." +
          (stray ? " Other CUSTODIA_SMS_* variables are set but unused." : ""),
      ],
    };
  }
  const problems = parse(env, provider).problems;
  limitsOf(env, problems);
  return { provider, problems };
}

/** The configured provider's sender; null when CUSTODIA_SMS_PROVIDER is unset. */
export function smsSenderFromEnv(env: Env = process.env, deps: SmsDeps = {}): SmsSender | null {
  const provider = providerOf(env);
  if (provider === null) return null;
  if (provider === "unknown") throw new ConfigError("CUSTODIA_SMS_PROVIDER must be aliyun or tencent.");
  const p = parse(env, provider);
  if (p.problems.length) throw new ConfigError(`SMS configuration: ${p.problems.join(" ")}`);
  const common = { ...p.templates, endpoint: p.endpoint, timeoutMs: deps.timeoutMs ?? DEFAULT_SMS_TIMEOUT_MS, fetch: deps.fetch, now: deps.now };
  return provider === "aliyun"
    ? new AliyunSmsSender({ ...common, accessKeyId: p.accessKeyId, accessKeySecret: p.accessKeySecret })
    : new TencentSmsSender({ ...common, secretId: p.accessKeyId, secretKey: p.accessKeySecret, sdkAppId: p.sdkAppId, region: p.region });
}

/** Portal phone codes through the configured provider, rate-limited per number; null when SMS is not configured. */
export function smsCodeSenderFromEnv(
  env: Env,
  services: Pick<Services, "engine" | "vault">,
  deps: SmsDeps & { codeTtlMinutes?: number } = {},
): SmsCodeSender | null {
  const sms = smsSenderFromEnv(env, deps);
  if (!sms) return null;
  const limiter = new SmsRateLimiter(services.engine.db, services.vault, smsRateLimitsFromEnv(env));
  return new SmsCodeSender(sms, limiter, { ...(deps.codeTtlMinutes ? { codeTtlMinutes: deps.codeTtlMinutes } : {}), ...(deps.now ? { now: deps.now } : {}) });
}
