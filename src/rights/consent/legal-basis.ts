/**
 * Lawful bases for processing personal information (PIPL Art. 13). A purpose's basis is data in the
 * purposes table; only `consent` makes the purpose depend on the client's consent records.
 */
export const LEGAL_BASES = ["consent", "contract", "hr", "legal_duty", "public_health", "news", "public_info"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const isLegalBasis = (value: string): value is LegalBasis => (LEGAL_BASES as readonly string[]).includes(value);

export const LEGAL_BASIS_LABELS: Readonly<Record<LegalBasis, { zh: string; en: string; article: string }>> = Object.freeze({
  consent: { zh: "个人同意", en: "Consent of the individual", article: "PIPL 13(1)" },
  contract: { zh: "订立、履行合同所必需", en: "Necessary to conclude or perform a contract", article: "PIPL 13(2)" },
  hr: { zh: "人力资源管理所必需", en: "Necessary for human-resources management", article: "PIPL 13(2)" },
  legal_duty: { zh: "履行法定职责或法定义务所必需", en: "Necessary to fulfil a statutory duty or obligation", article: "PIPL 13(3)" },
  public_health: {
    zh: "应对突发公共卫生事件或紧急情况所必需",
    en: "Necessary for a public-health emergency or to protect life, health or property",
    article: "PIPL 13(4)",
  },
  news: { zh: "为公共利益实施新闻报道、舆论监督", en: "News reporting or public-opinion supervision in the public interest", article: "PIPL 13(5)" },
  public_info: { zh: "处理已合法公开的个人信息", en: "Personal information already lawfully made public", article: "PIPL 13(6)" },
});
