/**
 * The SMS provider interface. Chinese providers send only templates approved in advance, each
 * under an approved signature name (签名), never free text: Custodia names its templates, and the
 * firm's configuration maps each name to the template code its provider approved.
 */

/** Custodia's templates and the variables each one takes, in order (Tencent numbers them {1}, {2} …). */
export const SMS_TEMPLATES = {
  /** 您的验证码为${code}，${minutes}分钟内有效。 */
  verification_code: ["code", "minutes"],
  /** A personal-data incident notice: the firm's reference, details on the portal or by letter. */
  incident_notice: ["reference"],
  /** A client request changed status: the request reference and its new status. */
  request_update: ["reference", "status"],
} as const satisfies Record<string, readonly string[]>;

export type SmsTemplateName = keyof typeof SMS_TEMPLATES;
export const SMS_TEMPLATE_NAMES = Object.keys(SMS_TEMPLATES) as SmsTemplateName[];

export type SmsLanguage = "zh-CN" | "en";

export interface SmsMessage {
  /** The number on file; normalised by the sender. */
  to: string;
  template: SmsTemplateName;
  /** Exactly the template's variables. */
  params: Readonly<Record<string, string>>;
  language: SmsLanguage;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<{ providerMessageId: string }>;
}

/** One template approved by the provider: its code per language (English optional). */
export interface ApprovedTemplate {
  "zh-CN": string;
  en?: string | undefined;
}

export interface SmsTemplateConfig {
  /** The approved signature name (签名), e.g. 某某律师事务所. */
  signName: string;
  templates: Partial<Record<SmsTemplateName, ApprovedTemplate>>;
}

/** The approved template code for a message, or null when the firm has not configured that template. */
export function approvedTemplateCode(config: SmsTemplateConfig, template: SmsTemplateName, language: SmsLanguage): string | null {
  const approved = config.templates[template];
  if (!approved) return null;
  return (language === "en" ? approved.en : undefined) ?? approved["zh-CN"];
}

/** The template's values in its declared order; a missing or unknown variable is a programmer error. */
export function orderedParams(template: SmsTemplateName, params: Readonly<Record<string, string>>): string[] {
  const names: readonly string[] = SMS_TEMPLATES[template];
  const given = Object.keys(params);
  if (given.length !== names.length || !names.every((n) => typeof params[n] === "string")) {
    throw new Error(`SMS template ${template} takes exactly: ${names.join(", ")}`);
  }
  return names.map((n) => params[n]!);
}
