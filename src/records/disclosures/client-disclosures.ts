/**
 * A client's disclosures as the access package lists them (PIPL Art 45, GDPR Art 15(1)(c)): who
 * received their data, when, for what, on which basis, which fields in which form, and whether the
 * recipient still holds it. The recipient is an organisation, named in clear.
 */
import type { Tx } from "../../platform/db/engine.js";
import { CLIENT_FIELDS } from "../clients/fields.js";

export interface ClientDisclosure {
  at: string;
  recipient: string;
  recipientKind: string;
  jurisdiction: string;
  purpose: string;
  legalBasis: string;
  /** Field labels with the form each left in, e.g. "证件号码 (masked)". */
  fields: string[];
  status: string;
}

const FORMS: Record<string, { zh: string; en: string }> = {
  keep: { zh: "完整", en: "in full" },
  mask: { zh: "脱敏", en: "masked" },
  generalise: { zh: "概括", en: "generalised" },
  pseudonym: { zh: "化名编号", en: "pseudonym" },
};
const STATUS: Record<string, { zh: string; en: string }> = {
  held: { zh: "对方持有", en: "held by the recipient" },
  return_requested: { zh: "已要求返还或删除", en: "return or deletion requested" },
  returned: { zh: "已返还", en: "returned" },
  deleted_confirmed: { zh: "已确认删除", en: "deletion confirmed" },
};

export async function clientDisclosures(tx: Tx, clientId: string, en: boolean): Promise<ClientDisclosure[]> {
  const rows = await tx
    .selectFrom("disclosure_holdings as h")
    .innerJoin("disclosures as d", "d.id", "h.disclosure_id")
    .innerJoin("partners as p", "p.id", "d.partner_id")
    .leftJoin("purposes as u", "u.code", "d.purpose")
    .select(["d.created_at", "p.name", "p.kind", "p.jurisdiction", "d.purpose", "u.name_zh", "u.name_en", "d.legal_basis", "h.fields", "h.status"])
    .where("h.client_id", "=", clientId)
    .orderBy("d.created_at")
    .execute();
  const label = (key: string) => {
    const def = CLIENT_FIELDS.find((f) => f.key === key);
    return def ? (en ? def.labelEn : def.labelZh) : en ? "Client number" : "客户编号";
  };
  return rows.map((r) => ({
    at: r.created_at,
    recipient: r.name,
    recipientKind: r.kind,
    jurisdiction: r.jurisdiction,
    purpose: (en ? r.name_en : r.name_zh) ?? r.purpose,
    legalBasis: r.legal_basis,
    fields: (JSON.parse(r.fields) as { field: string; rule: string }[]).map(
      (f) => `${label(f.field)} (${(FORMS[f.rule] ?? { zh: f.rule, en: f.rule })[en ? "en" : "zh"]})`,
    ),
    status: (STATUS[r.status] ?? { zh: r.status, en: r.status })[en ? "en" : "zh"],
  }));
}
