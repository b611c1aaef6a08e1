/**
 * What a fresh install (and migration 0031 on an existing one) starts with: one course flagged
 * `required_for_sensitive` with a short quiz, and the staff NDA v1 text. Existing staff_trainings
 * rows become completions of this course and staff_agreements rows acknowledgements of staff_nda v1,
 * so the L3+ access condition means the same thing the day after the upgrade as the day before.
 */

export interface DefaultQuestion {
  textZh: string;
  textEn: string;
  options: readonly { zh: string; en: string }[];
  correct: readonly number[];
}

export const DEFAULT_COURSE_ID = "00000000-0000-7000-8000-000000000014";

export const DEFAULT_COURSE = Object.freeze({
  titleZh: "隐私与保密基础培训",
  titleEn: "Privacy and confidentiality essentials",
  contentZh: [
    "# 隐私与保密基础",
    "",
    "律师对执业中知悉的委托人信息负有保密义务（《律师法》第三十八条）。",
    "处理个人信息须有明确、合理的目的，并限于实现目的的最小范围（《个人信息保护法》第六条）。",
    "",
    "- 只在当前案件需要时查阅客户资料，并声明用途；",
    "- 不得将客户资料带出系统或发送到个人邮箱、即时通讯工具；",
    "- 发现疑似泄露，立即向合规部门报告。",
  ].join("\n"),
  contentEn: [
    "# Privacy and confidentiality essentials",
    "",
    "Lawyers keep confidential what they learn about clients in practice (Lawyers Law Art 38).",
    "Personal information is processed for a clear, reasonable purpose and limited to what that purpose needs (PIPL Art 6).",
    "",
    "- Open a client's record only when the matter at hand needs it, and declare the purpose;",
    "- Never take client data out of the system or send it to personal mail or chat apps;",
    "- Report a suspected leak to compliance at once.",
  ].join("\n"),
  validityMonths: 12,
  passMark: 75,
});

export const DEFAULT_QUIZ: readonly DefaultQuestion[] = Object.freeze([
  {
    textZh: "什么时候可以查阅客户的敏感资料？",
    textEn: "When may you open a client's sensitive data?",
    options: [
      { zh: "任何时候，只要有权限", en: "Any time my role allows it" },
      { zh: "当前案件需要时，并声明用途", en: "When the matter at hand needs it, with the purpose declared" },
      { zh: "同事请我帮忙查时", en: "When a colleague asks me to look something up" },
    ],
    correct: [1],
  },
  {
    textZh: "可以把客户资料发送到个人微信吗？",
    textEn: "May you send client data to your personal WeChat?",
    options: [
      { zh: "可以，如果很紧急", en: "Yes, if it is urgent" },
      { zh: "不可以", en: "No" },
    ],
    correct: [1],
  },
  {
    textZh: "发现疑似数据泄露，应当怎么做？",
    textEn: "What do you do when you suspect a data leak?",
    options: [
      { zh: "自己先调查清楚再说", en: "Investigate it myself first" },
      { zh: "立即报告合规部门", en: "Report it to compliance at once" },
      { zh: "不予理会", en: "Ignore it" },
    ],
    correct: [1],
  },
  {
    textZh: "下列哪些属于个人信息保护的原则？（多选）",
    textEn: "Which are principles of personal information protection? (choose all that apply)",
    options: [
      { zh: "目的明确", en: "A clear purpose" },
      { zh: "最小必要", en: "Minimum necessary" },
      { zh: "尽量多收集以备后用", en: "Collect as much as possible for later" },
    ],
    correct: [0, 1],
  },
]);

export const DEFAULT_STAFF_NDA = Object.freeze({
  kind: "staff_nda",
  version: 1,
  titleZh: "员工保密协议",
  titleEn: "Staff confidentiality agreement",
  textZh: [
    "本人承诺：对在本所工作期间知悉的委托人信息、案件信息及本所商业秘密严格保密；",
    "仅为履行职责所必需查阅和使用上述信息；不以任何方式向第三方披露；",
    "离职后保密义务继续有效。违反本协议的，依法承担责任。",
  ].join("\n"),
  textEn: [
    "I undertake to keep strictly confidential the client, matter and firm information I learn while working at the firm;",
    "to open and use it only as my duties require; never to disclose it to third parties in any way;",
    "and that these duties continue after I leave. A breach carries the liability the law provides.",
  ].join("\n"),
});
