/**
 * The default due-diligence questionnaire (VEN-1), shipped as data and copied into
 * `partner_questions` by migration 0028, where compliance edits it (text, risk per answer, active).
 * Each answer maps to a risk; the score (risk-scoring.ts) shows which answers raised it.
 */
import type { RiskLevel } from "./partner.js";

export const ANSWER_KINDS = ["yes_no", "choice", "text"] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

export interface Question {
  readonly code: string;
  readonly textZh: string;
  readonly textEn: string;
  readonly kind: AnswerKind;
  /** The risk each answer carries; answers not listed (and text answers) carry none. */
  readonly riskByAnswer: Readonly<Record<string, RiskLevel>>;
}

export const DEFAULT_QUESTIONNAIRE: readonly Question[] = Object.freeze<Question[]>([
  {
    code: "security_measures",
    textZh: "是否建立书面的信息安全管理制度（安全策略、人员培训、定期检查）？",
    textEn: "Does the partner keep documented security measures (policies, staff training, regular checks)?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "medium" },
  },
  {
    code: "mlps_level",
    textZh: "网络安全等级保护（等保）备案级别？",
    textEn: "Multi-Level Protection Scheme (等保) grade of the systems that would hold the data?",
    kind: "choice",
    riskByAnswer: { none: "medium", level_2: "low", level_3: "low", level_4: "low", not_applicable: "low" },
  },
  {
    code: "iso27001",
    textZh: "是否持有有效的 ISO/IEC 27001 认证？",
    textEn: "Does the partner hold a current ISO/IEC 27001 certification?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "medium" },
  },
  {
    code: "breach_history",
    textZh: "近三年是否发生过个人信息泄露事件？",
    textEn: "Personal data breaches in the last three years?",
    kind: "choice",
    riskByAnswer: { none: "low", minor: "medium", major: "high" },
  },
  {
    code: "sub_processors",
    textZh: "是否使用分包处理者（次级受托方）？",
    textEn: "Does the partner use sub-processors?",
    kind: "choice",
    riskByAnswer: { none: "low", disclosed_with_consent: "low", undisclosed: "high" },
  },
  {
    code: "data_location",
    textZh: "数据存储和处理所在地？",
    textEn: "Where would the data be stored and processed?",
    kind: "choice",
    riskByAnswer: { mainland_china: "low", abroad: "medium", unknown: "high" },
  },
  {
    code: "encryption_at_rest",
    textZh: "存储的数据是否加密？",
    textEn: "Is data encrypted at rest?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "medium" },
  },
  {
    code: "encryption_in_transit",
    textZh: "传输中的数据是否加密（TLS 等）？",
    textEn: "Is data encrypted in transit (TLS or equivalent)?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "high" },
  },
  {
    code: "access_control",
    textZh: "是否实行最小权限访问控制和多因素认证？",
    textEn: "Is access limited on least privilege, with multi-factor authentication?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "medium" },
  },
  {
    code: "incident_notification",
    textZh: "发生安全事件时承诺多久通知本所？",
    textEn: "How soon does the partner commit to notify the firm of an incident?",
    kind: "choice",
    riskByAnswer: { within_24h: "low", within_72h: "medium", no_commitment: "high" },
  },
  {
    code: "deletion_at_end",
    textZh: "合作结束时是否承诺返还或删除数据并出具证明？",
    textEn: "Does the partner commit to return or delete the data at the end, and certify it?",
    kind: "yes_no",
    riskByAnswer: { yes: "low", no: "high" },
  },
  {
    code: "notes",
    textZh: "其他说明",
    textEn: "Other remarks",
    kind: "text",
    riskByAnswer: {},
  },
]);
