/**
 * API error texts in Simplified Chinese and English, keyed by the stable codes. The code is the
 * contract; the text follows the caller's Accept-Language (English unless Chinese is preferred).
 */
export type Locale = "zh-CN" | "en";

type Catalog = { errors: Record<string, string>; fields: Record<string, string> };

export const MESSAGES: Record<Locale, Catalog> = {
  en: {
    errors: {
      validation_error: "The request is invalid; see fields.",
      invalid_json: "The request body is not valid JSON.",
      invalid_encoding: "The request body is not valid UTF-8.",
      payload_too_large: "The request body is too large.",
      unsupported_media_type: "Send application/json.",
      authentication_required: "A valid bearer token is required.",
      role_lacks_permission: "Your role does not allow this action.",
      purpose_required: "Declare a purpose in the X-Purpose header.",
      purpose_unknown: "The declared purpose is not in the purpose registry.",
      purpose_not_permitted: "This record may not be used for the declared purpose.",
      not_found: "Not found.",
      client_erased: "This client's data was erased.",
      edit_conflict: "The record changed meanwhile; reload and retry.",
      user_exists: "A user with this email exists.",
      user_disabled: "The user is disabled.",
      rate_limited: "Too many requests; slow down.",
      integrity_error: "Stored data failed its integrity check.",
      internal_error: "Internal error.",
    },
    fields: {
      required: "This field is required.",
      format: "The value does not have the expected format.",
      check_digit: "The check character is wrong; the number was probably mistyped.",
      birth_date: "The date is not a real past date.",
      region: "The region code is not valid.",
      kind_mismatch: "This identifier type does not fit the client kind.",
      mismatch: "The date of birth does not match the resident ID number.",
      unknown_purpose: "Every purpose must be a registered purpose code.",
      above_clearance: "This field is above your clearance.",
      unknown_field: "This field is not accepted.",
      unknown: "Not a registered purpose code.",
      too_short: "The value is too short.",
      too_big: "The value is too long or too large.",
      too_small: "The value is too short or too small.",
      invalid_type: "The value has the wrong type.",
      invalid_value: "The value is not one of the allowed options.",
      invalid_format: "The value does not have the expected format.",
      custom: "The value is invalid.",
    },
  },
  "zh-CN": {
    errors: {
      validation_error: "请求无效，请查看各字段的说明。",
      invalid_json: "请求正文不是有效的 JSON。",
      invalid_encoding: "请求正文不是有效的 UTF-8 编码。",
      payload_too_large: "请求正文过大。",
      unsupported_media_type: "请以 application/json 格式提交。",
      authentication_required: "需要有效的访问令牌。",
      role_lacks_permission: "您的角色无权执行此操作。",
      purpose_required: "请在 X-Purpose 请求头中声明使用目的。",
      purpose_unknown: "所声明的使用目的未在目的登记表中。",
      purpose_not_permitted: "该记录不允许用于所声明的目的。",
      not_found: "未找到。",
      client_erased: "该客户的数据已被删除。",
      edit_conflict: "记录已被他人修改，请刷新后重试。",
      user_exists: "该邮箱的用户已存在。",
      user_disabled: "该用户已停用。",
      rate_limited: "请求过于频繁，请稍后再试。",
      integrity_error: "存储的数据未通过完整性校验。",
      internal_error: "内部错误。",
    },
    fields: {
      required: "此项为必填项。",
      format: "格式不正确。",
      check_digit: "校验位错误，号码可能输入有误。",
      birth_date: "日期不是一个真实的过去日期。",
      region: "地区码无效。",
      kind_mismatch: "证件类型与客户类型不符。",
      mismatch: "出生日期与身份证号码不一致。",
      unknown_purpose: "每个用途都必须是已登记的目的代码。",
      above_clearance: "此字段超出您的密级权限。",
      unknown_field: "不接受此字段。",
      unknown: "不是已登记的目的代码。",
      too_short: "内容过短。",
      too_big: "内容过长或数值过大。",
      too_small: "内容过短或数值过小。",
      invalid_type: "数据类型不正确。",
      invalid_value: "不是允许的选项之一。",
      invalid_format: "格式不正确。",
      custom: "内容无效。",
    },
  },
};

/** Picks zh-CN when the caller prefers any Chinese, English otherwise. */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  const first = acceptLanguage?.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("zh") ? "zh-CN" : "en";
}
