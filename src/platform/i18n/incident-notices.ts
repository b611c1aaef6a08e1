/**
 * Texts of incident notices (INC-4, PIPL Art. 57) in Simplified Chinese and English. The drafting
 * code only picks entries by code and fills the placeholders; every sentence lives here, so legal
 * review edits this table, not logic. Placeholders: {incident} {categories} {people} {cause}
 * {harms} {measures} {actions} {contact} {name} {awareAt}.
 */
import type { Locale } from "./messages.js";

export const INCIDENT_CAUSES = [
  "credential_compromise",
  "insider_misuse",
  "misdirected_disclosure",
  "lost_device",
  "malware",
  "paper_file_lost",
  "system_fault",
  "under_investigation",
] as const;
export type IncidentCause = (typeof INCIDENT_CAUSES)[number];

export const REMEDIAL_MEASURES = [
  "credentials_revoked",
  "sessions_revoked",
  "access_restricted",
  "recipient_asked_to_delete",
  "device_wiped",
  "systems_restored",
  "police_informed",
  "monitoring_increased",
] as const;
export type RemedialMeasure = (typeof REMEDIAL_MEASURES)[number];

/** Harm and advice follow the data categories of the affected fields (src/records/clients/fields.ts). */
type HarmCategory = "identity" | "government_id" | "contact" | "case_notes";

interface NoticeCatalog {
  causes: Record<IncidentCause, string>;
  measures: Record<RemedialMeasure, string>;
  harms: Record<HarmCategory, string>;
  actions: Record<HarmCategory, string>;
  listSeparator: string;
  regulator: { title: string; body: string[] };
  client: { title: string; body: string[] };
}

export const INCIDENT_NOTICES: Record<Locale, NoticeCatalog> = {
  "zh-CN": {
    causes: {
      credential_compromise: "员工账户或访问令牌被他人盗用",
      insider_misuse: "内部人员超出授权范围访问",
      misdirected_disclosure: "信息被误发送给无关人员",
      lost_device: "存有客户信息的设备遗失",
      malware: "恶意软件或勒索软件攻击",
      paper_file_lost: "纸质档案遗失",
      system_fault: "系统故障",
      under_investigation: "原因仍在调查中",
    },
    measures: {
      credentials_revoked: "已吊销相关账户的全部访问令牌",
      sessions_revoked: "已强制相关账户退出全部登录会话",
      access_restricted: "已限制相关人员的访问权限",
      recipient_asked_to_delete: "已要求接收方删除并确认未留存",
      device_wiped: "已远程锁定并清除遗失设备",
      systems_restored: "已从备份恢复受影响的系统",
      police_informed: "已向公安机关报案",
      monitoring_increased: "已加强对相关数据访问的监测",
    },
    harms: {
      identity: "您的姓名或出生日期可能被用于冒充您的身份",
      government_id: "您的证件号码可能被用于冒名办理业务或实施诈骗",
      contact: "您可能收到骚扰或诈骗电话、短信、邮件",
      case_notes: "您所委托事务的保密信息可能被泄露",
    },
    actions: {
      identity: "对以您名义提出的异常请求保持警惕",
      government_id: "留意以您证件办理的业务，必要时向发证机关或银行挂失、冻结",
      contact: "不要向自称本所或其他机构的来电来信透露验证码、密码或转账",
      case_notes: "如发现与您案件相关的异常接触，请及时告知承办律师",
    },
    listSeparator: "；",
    regulator: {
      title: "个人信息安全事件报告（{incident}）",
      body: [
        "本所于 {awareAt} 发现一起个人信息安全事件，现依照《个人信息保护法》第五十七条报告如下：",
        "一、涉及的个人信息种类：{categories}；涉及个人约 {people} 人。",
        "二、事件发生的原因：{cause}。",
        "三、可能造成的危害：{harms}。",
        "四、已采取的补救措施：{measures}。",
        "五、个人可以采取的减轻危害的措施：{actions}。",
        "六、本所的联系方式：{contact}。",
      ],
    },
    client: {
      title: "关于您个人信息安全事件的告知",
      body: [
        "尊敬的{name}：",
        "本所于 {awareAt} 发现一起可能涉及您个人信息的安全事件（编号 {incident}），特此告知。",
        "涉及的个人信息种类：{categories}。",
        "事件原因：{cause}。",
        "可能造成的危害：{harms}。",
        "本所已采取的补救措施：{measures}。",
        "建议您采取的措施：{actions}。",
        "如有疑问，请联系：{contact}。",
      ],
    },
  },
  en: {
    causes: {
      credential_compromise: "a staff account or access token was used by someone else",
      insider_misuse: "a member of staff accessed information beyond their authorisation",
      misdirected_disclosure: "information was sent to the wrong recipient",
      lost_device: "a device holding client information was lost",
      malware: "a malware or ransomware attack",
      paper_file_lost: "a paper file was lost",
      system_fault: "a system fault",
      under_investigation: "the cause is still under investigation",
    },
    measures: {
      credentials_revoked: "all access tokens of the account concerned were revoked",
      sessions_revoked: "every session of the account concerned was signed out",
      access_restricted: "the access rights of the people concerned were restricted",
      recipient_asked_to_delete: "the recipient was asked to delete the information and confirm it kept no copy",
      device_wiped: "the lost device was locked and wiped remotely",
      systems_restored: "the affected systems were restored from backup",
      police_informed: "the matter was reported to the police",
      monitoring_increased: "monitoring of access to the data concerned was increased",
    },
    harms: {
      identity: "your name or date of birth could be used to impersonate you",
      government_id: "your identity document number could be used for fraud in your name",
      contact: "you may receive nuisance or fraudulent calls, messages or emails",
      case_notes: "confidential information about your matter could be disclosed",
    },
    actions: {
      identity: "be wary of unusual requests made in your name",
      government_id: "watch for transactions made with your identity document and report it lost or freeze it with the issuer or your bank if needed",
      contact: "never give verification codes, passwords or payments to callers claiming to be from us or another organisation",
      case_notes: "tell the lawyer handling your matter about any unusual contact concerning it",
    },
    listSeparator: "; ",
    regulator: {
      title: "Personal information security incident report ({incident})",
      body: [
        "On {awareAt} the firm became aware of a personal information security incident, reported under Article 57 of the Personal Information Protection Law:",
        "1. Categories of personal information involved: {categories}; approximately {people} individuals.",
        "2. Cause: {cause}.",
        "3. Possible harm: {harms}.",
        "4. Remedial measures taken: {measures}.",
        "5. What individuals can do to reduce the harm: {actions}.",
        "6. The firm's contact: {contact}.",
      ],
    },
    client: {
      title: "Notice of a security incident concerning your personal information",
      body: [
        "Dear {name},",
        "On {awareAt} we became aware of a security incident (reference {incident}) that may involve your personal information.",
        "Categories of personal information involved: {categories}.",
        "Cause: {cause}.",
        "Possible harm: {harms}.",
        "Remedial measures we have taken: {measures}.",
        "What you can do: {actions}.",
        "If you have questions, contact: {contact}.",
      ],
    },
  },
};
