/**
 * Words for the access package's HTML (the document a client reads): the codes of matters and
 * consents it lists. Actions and outcomes come from the shared code dictionary (code-labels.ts).
 */
import type { ID_TYPES } from "../../records/clients/client.js";
import type { PRACTICE_AREAS } from "../../records/matters/matter.js";
import type { CONSENT_CHANNELS } from "../consent/consent.js";

type Labels<K extends string> = Record<K, { zh: string; en: string }>;

export const PRACTICE_AREA_LABELS: Labels<(typeof PRACTICE_AREAS)[number]> = {
  litigation: { zh: "诉讼", en: "Litigation" },
  corporate: { zh: "公司业务", en: "Corporate" },
  labour: { zh: "劳动", en: "Labour" },
  ip: { zh: "知识产权", en: "Intellectual property" },
  family: { zh: "婚姻家事", en: "Family" },
  criminal: { zh: "刑事", en: "Criminal" },
  tax: { zh: "税务", en: "Tax" },
  other: { zh: "其他", en: "Other" },
};

export const MATTER_STATUS_LABELS: Labels<"open" | "closed"> = {
  open: { zh: "办理中", en: "Open" },
  closed: { zh: "已结案", en: "Closed" },
};

export const CONSENT_STATUS_LABELS: Labels<"granted" | "withdrawn"> = {
  granted: { zh: "已同意", en: "Given" },
  withdrawn: { zh: "已撤回", en: "Withdrawn" },
};

export const CONSENT_CHANNEL_LABELS: Labels<(typeof CONSENT_CHANNELS)[number]> = {
  portal: { zh: "在线服务页面", en: "Online portal" },
  paper: { zh: "纸质文件", en: "Paper form" },
  email: { zh: "电子邮件", en: "Email" },
  in_person: { zh: "当面", en: "In person" },
  phone: { zh: "电话", en: "Phone" },
};

/** The label of `code` in `labels`, or the code when it is not one of them (a value from a newer version). */
export const labelOf = <K extends string>(labels: Labels<K>, code: string, en: boolean): string => {
  const l = (labels as Record<string, { zh: string; en: string }>)[code];
  return l ? (en ? l.en : l.zh) : code;
};

export const ID_TYPE_LABELS: Labels<(typeof ID_TYPES)[number]> = {
  resident_id: { zh: "居民身份证", en: "Resident identity card" },
  passport: { zh: "护照", en: "Passport" },
  uscc: { zh: "统一社会信用代码", en: "Unified social credit code" },
};
