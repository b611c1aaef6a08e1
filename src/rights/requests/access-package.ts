/**
 * The access / copy package (PIPL Art. 45, 48): every field held on the client (decrypted), its
 * permitted purposes and their legal bases, its consents, its matters (numbers and areas — titles
 * can name other parties, so they stay out) and who accessed the record, when and why, from the
 * audit log. Built from this one client's rows only, at download time: nothing is stored, so an
 * erased client leaves no copy behind. Rendered as JSON and as an escaped HTML document.
 */
import type { Role } from "../../access/policy/roles.js";
import { openRow } from "../../records/clients/client-store.js";
import { CATEGORY_LABELS, COPY_KIND_LABELS, packageDocuments, PII_TYPE_LABELS } from "../../records/documents/document-package.js";
import type { PiiType } from "../../records/documents/pii/types.js";
import { CLIENT_FIELDS, PERSONAL_FIELDS } from "../../records/clients/fields.js";
import { listConsentRows } from "../consent/consent-store.js";
import { codeLabel, firmTime } from "../../platform/i18n/code-labels.js";
import { isLegalBasis, LEGAL_BASIS_LABELS } from "../consent/legal-basis.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { accessHistoryActors } from "./request-store.js";
import { CONSENT_CHANNEL_LABELS, CONSENT_STATUS_LABELS, ID_TYPE_LABELS, labelOf, MATTER_STATUS_LABELS, PRACTICE_AREA_LABELS } from "./package-labels.js";
import { latestTreeCheckpoint, proveEvents } from "../../platform/audit/audit-proofs.js";
import type { ProvenHistory } from "../../platform/audit/history-verifier.js";
import { auditLogKey, signHistoryManifest } from "../../platform/audit/tree-checkpoint.js";
import type { LiftReason } from "./restriction-lifter.js";
import { type ClientDisclosure, clientDisclosures } from "../../records/disclosures/client-disclosures.js";

export type PackageLanguage = "zh-CN" | "en";

const ROLE_LABELS: Record<Role | "portal" | "system", { zh: string; en: string }> = {
  admin: { zh: "系统管理员", en: "Administrator" },
  partner: { zh: "合伙人", en: "Partner" },
  lawyer: { zh: "律师", en: "Lawyer" },
  paralegal: { zh: "律师助理", en: "Paralegal" },
  compliance: { zh: "合规人员", en: "Compliance officer" },
  auditor: { zh: "审计人员", en: "Auditor" },
  "records-clerk": { zh: "档案管理员", en: "Records clerk" },
  portal: { zh: "您本人（客户门户）", en: "You (client portal)" },
  system: { zh: "系统", en: "System" },
};

export interface AccessPackage {
  format: "custodia.access-package/1";
  kind: "access" | "copy" | "explanation";
  generatedAt: string;
  requestId: string;
  language: PackageLanguage;
  client: {
    id: string;
    kind: string;
    status: string;
    createdAt: string;
    updatedAt: string;
    fields: { key: string; label: string; value: string | null }[];
    restricted: boolean;
    /** Every restriction of processing, the current one (liftedAt null) included (PIPL Art. 44, GDPR Art. 18(3)). */
    restrictions: { restrictedAt: string; liftedAt: string | null; liftReason: string | null }[];
  } | null;
  purposes: { code: string; name: string; legalBasis: string; description: string; permitted: boolean }[];
  consents: {
    purpose: string;
    status: string;
    separate: boolean;
    channel: string;
    noticeVersion: number | null;
    givenAt: string;
    recordedAt: string;
    recordedBy: string;
  }[];
  matters: { number: string; practiceArea: string; status: string; openedAt: string; closedAt: string | null }[];
  accessHistory: { at: string; actor: string; action: string; purpose: string | null; outcome: string }[];
  /**
   * The same events, each with its inclusion proof under a signed checkpoint of the audit log and a
   * signed list of their positions: `custodia audit verify-package` checks it offline (issue #12).
   */
  accessHistoryProof: ProvenHistory | null;
  /**
   * The client's documents (src/records/documents/document-package.ts): no titles but for their own
   * identity documents, which come whole (base64) up to a size limit; who received copies.
   */
  documents: {
    id: string;
    category: string;
    categoryLabel: string;
    level: number;
    title: string | null;
    redactedFrom: string | null;
    mediaType: string;
    sizeBytes: number;
    versions: number;
    createdAt: string;
    updatedAt: string;
    findings: { type: string; label: string; count: number }[];
    copies: { at: string; kind: string; recipient: string }[];
    file: { filename: string; mediaType: string; base64: string } | null;
    fileOmitted: "too_large" | "unreadable" | null;
  }[];
  inventory: { field: string; label: string; purpose: string }[];
  /** Recipients outside the firm (PIPL Art 45, GDPR Art 15(1)(c)): who received what, when and why (src/records/disclosures/). */
  disclosures: ClientDisclosure[];
}

export async function buildAccessPackage(
  services: Services,
  tx: Tx,
  kind: AccessPackage["kind"],
  clientId: string,
  requestId: string,
  language: PackageLanguage,
  now: Date,
): Promise<AccessPackage> {
  const en = language === "en";
  const row = await tx.selectFrom("clients").selectAll().where("id", "=", clientId).executeTakeFirstOrThrow();
  const key = await services.keyRing.openDataKey(tx, clientId);
  const client = openRow(services.vault, key, row);
  const current = await tx.selectFrom("processing_restrictions").select("restricted_at").where("client_id", "=", clientId).executeTakeFirst();
  const restricted = Boolean(current);
  const purposeRows = await tx.selectFrom("purposes").selectAll().where("active", "=", 1).orderBy("code").execute();
  const purposes = purposeRows.map((p) => {
    const basis = isLegalBasis(p.legal_basis) ? p.legal_basis : "consent";
    return {
      code: p.code,
      name: en ? p.name_en : p.name_zh,
      legalBasis: en ? LEGAL_BASIS_LABELS[basis].en : LEGAL_BASIS_LABELS[basis].zh,
      description: p.description_en,
      permitted: client.purposes.includes(p.code),
    };
  });
  const inventory = CLIENT_FIELDS.map((f) => ({ field: f.key, label: en ? f.labelEn : f.labelZh, purpose: en ? f.purposeEn : f.purposeZh }));
  if (kind === "explanation") {
    return {
      format: "custodia.access-package/1",
      kind,
      generatedAt: now.toISOString(),
      requestId,
      language,
      client: null,
      purposes,
      consents: [],
      matters: [],
      accessHistory: [],
      accessHistoryProof: null,
      documents: [],
      inventory,
      disclosures: [],
    };
  }

  // Staff are named by role unless the firm chose names (firm_settings requests.access_history_actors).
  const naming = await accessHistoryActors(tx);
  const names = new Map<string, string>();
  const label = (actorId: string | null, role: string | null): string => {
    if (naming === "names" && actorId && names.has(actorId)) return names.get(actorId)!;
    const known = ROLE_LABELS[(role ?? (actorId ? "system" : "system")) as keyof typeof ROLE_LABELS] ?? ROLE_LABELS.system;
    return en ? known.en : known.zh;
  };
  // Place pending events and sign, so the checkpoint covers every event listed.
  await services.auditLog.integrate(tx);
  const events = await tx.selectFrom("audit_events").selectAll().where("target_type", "=", "client").where("target_id", "=", clientId).orderBy("seq").execute();
  const proven = await proveEvents(tx, events, (await latestTreeCheckpoint(tx)) ?? undefined);
  const consentRows = await listConsentRows(tx, clientId);
  const documentRows = await packageDocuments(services, tx, clientId, key);
  const copiers = documentRows.flatMap((d) => d.copies.map((c) => c.userId));
  if (naming === "names") {
    const ids = [...new Set([...events.map((e) => e.actor_id), ...consentRows.map((c) => c.recorded_by), ...copiers].filter((x): x is string => Boolean(x)))];
    for (let i = 0; i < ids.length; i += 500) {
      for (const u of await tx
        .selectFrom("users")
        .select(["id", "display_name"])
        .where("id", "in", ids.slice(i, i + 500))
        .execute())
        names.set(u.id, u.display_name);
    }
  }
  const roleOf = new Map(events.filter((e) => e.actor_id).map((e) => [e.actor_id!, e.actor_role]));
  // Lifted restrictions are kept in processing_restriction_lifts (restriction-lifter.ts): the client sees when and why each ended.
  const lifts = await tx
    .selectFrom("processing_restriction_lifts")
    .select(["restricted_at", "lifted_at", "reason"])
    .where("client_id", "=", clientId)
    .orderBy("lifted_at")
    .execute();
  const restrictions = [
    ...lifts.map((l) => ({ restrictedAt: l.restricted_at, liftedAt: l.lifted_at, liftReason: l.reason })),
    ...(current ? [{ restrictedAt: current.restricted_at, liftedAt: null, liftReason: null }] : []),
  ];
  const matters = await tx
    .selectFrom("matters")
    .select(["number", "practice_area", "status", "created_at", "closed_at"])
    .where("client_id", "=", clientId)
    .orderBy("created_at")
    .execute();
  return {
    format: "custodia.access-package/1",
    kind,
    generatedAt: now.toISOString(),
    requestId,
    language,
    client: {
      id: client.id,
      kind: client.kind,
      status: client.status,
      createdAt: client.createdAt,
      updatedAt: client.updatedAt,
      restricted,
      restrictions,
      fields: [
        { key: "idType", label: en ? "Identifier type" : "证件类型", value: client.idType && labelOf(ID_TYPE_LABELS, client.idType, en) },
        ...PERSONAL_FIELDS.map((f) => {
          const def = CLIENT_FIELDS.find((d) => d.key === f)!;
          return { key: f, label: en ? def.labelEn : def.labelZh, value: client[f] };
        }),
      ],
    },
    purposes,
    consents: consentRows.map((c) => ({
      purpose: c.purpose,
      status: c.status,
      separate: c.separate === 1,
      channel: c.channel,
      noticeVersion: c.notice_version,
      givenAt: c.given_at,
      recordedAt: c.recorded_at,
      recordedBy: label(c.recorded_by, roleOf.get(c.recorded_by) ?? null),
    })),
    matters: matters.map((m) => ({ number: m.number, practiceArea: m.practice_area, status: m.status, openedAt: m.created_at, closedAt: m.closed_at })),
    accessHistory: events.map((e) => ({ at: e.at, actor: label(e.actor_id, e.actor_role), action: e.action, purpose: e.purpose, outcome: e.outcome })),
    accessHistoryProof: {
      format: "custodia.access-history-proof/1",
      clientId,
      vkey: auditLogKey(services.vault.checkpointPublicKey).vkey,
      checkpoint: proven.checkpoint.note,
      manifest: signHistoryManifest(
        services.vault,
        clientId,
        proven.checkpoint.size,
        proven.proofs.map((p) => p.index + 1),
      ),
      events: proven.proofs,
    },
    documents: documentRows.map((d) => ({
      ...d,
      categoryLabel: en ? CATEGORY_LABELS[d.category].en : CATEGORY_LABELS[d.category].zh,
      findings: Object.entries(d.findings).map(([type, count]) => ({ type, label: PII_TYPE_LABELS[type as PiiType][en ? "en" : "zh"], count })),
      // Downloads name the staff member as the access history does; shares name no outside recipient yet.
      copies: d.copies.map((c) => ({
        at: c.at,
        kind: c.kind,
        recipient: c.kind === "download" ? label(c.userId, c.userRole) : (COPY_KIND_LABELS[c.kind] ?? COPY_KIND_LABELS.share!)[en ? "en" : "zh"],
      })),
    })),
    inventory,
    disclosures: await clientDisclosures(tx, clientId, en),
  };
}

const LIFT_REASON_LABELS: Record<LiftReason, { zh: string; en: string }> = {
  client_request: { zh: "应您的要求", en: "At your request" },
  accuracy_verified: { zh: "信息准确性已核实", en: "Accuracy verified" },
  objection_resolved: { zh: "异议已处理", en: "Objection resolved" },
  ground_ended: { zh: "限制理由已不存在", en: "The ground for the restriction ended" },
};
const liftReasonLabel = (code: string, en: boolean) => {
  const label = LIFT_REASON_LABELS[code as LiftReason] as { zh: string; en: string } | undefined;
  return label ? (en ? label.en : label.zh) : code;
};

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export const escapeHtml = (value: unknown): string => String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A self-contained, human-readable document; every value is escaped. */
export function renderPackageHtml(p: AccessPackage): string {
  const en = p.language === "en";
  const lang = en ? "en" : "zh-CN";
  const t = (zh: string, english: string) => escapeHtml(en ? english : zh);
  const at = (iso: string | null | undefined) => firmTime(iso, lang);
  const purposeName = (code: string | null) => (code ? (p.purposes.find((x) => x.code === code)?.name ?? code) : "—");
  const table = (heads: string[], rows: unknown[][]) =>
    rows.length === 0
      ? `<p>${t("无", "None")}</p>`
      : `<table><thead><tr>${heads.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
  const parts = [
    `<!doctype html><html lang="${en ? "en" : "zh-CN"}"><head><meta charset="utf-8"><title>${t("个人信息查询结果", "Your personal information")}</title>`,
    `<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.3em;text-align:left}</style></head><body>`,
    `<h1>${t("个人信息查询结果", "Your personal information")}</h1>`,
    `<p>${t("申请编号", "Request")}: ${escapeHtml(p.requestId)} · ${t("生成时间", "Generated")}: ${escapeHtml(at(p.generatedAt))}</p>`,
  ];
  if (p.client) {
    parts.push(
      `<h2>${t("我们持有的信息", "What we hold")}</h2>`,
      table(
        [en ? "Field" : "字段", en ? "Value" : "内容"],
        p.client.fields.map((f) => [f.label, f.value ?? "—"]),
      ),
    );
    if (p.client.restricted)
      parts.push(`<p>${t("您的信息已被限制处理，仅用于法律主张。", "Processing of your information is restricted to legal claims.")}</p>`);
    if (p.client.restrictions.length)
      parts.push(
        `<h2>${t("限制处理记录", "Restrictions of processing")}</h2>`,
        table(
          [en ? "Restricted" : "限制开始", en ? "Lifted" : "解除时间", en ? "Why lifted" : "解除原因"],
          p.client.restrictions.map((r) => [at(r.restrictedAt), at(r.liftedAt), r.liftReason ? liftReasonLabel(r.liftReason, en) : "—"]),
        ),
      );
  }
  parts.push(
    `<h2>${t("处理目的与法律依据", "Purposes and legal bases")}</h2>`,
    table(
      [en ? "Purpose" : "目的", en ? "Legal basis" : "法律依据", en ? "Applies to you" : "适用于您"],
      p.purposes.map((x) => [x.name, x.legalBasis, x.permitted ? (en ? "yes" : "是") : en ? "no" : "否"]),
    ),
  );
  if (p.client) {
    parts.push(
      `<h2>${t("同意记录", "Consents")}</h2>`,
      table(
        [en ? "Purpose" : "目的", en ? "Status" : "状态", en ? "Channel" : "渠道", en ? "Given" : "时间"],
        p.consents.map((c) => [
          purposeName(c.purpose),
          labelOf(CONSENT_STATUS_LABELS, c.status, en),
          labelOf(CONSENT_CHANNEL_LABELS, c.channel, en),
          at(c.givenAt),
        ]),
      ),
      `<h2>${t("案件", "Matters")}</h2>`,
      table(
        [en ? "Number" : "编号", en ? "Area" : "领域", en ? "Status" : "状态"],
        p.matters.map((m) => [m.number, labelOf(PRACTICE_AREA_LABELS, m.practiceArea, en), labelOf(MATTER_STATUS_LABELS, m.status, en)]),
      ),
      `<h2>${t("文件", "Your documents")}</h2>`,
      table(
        [
          en ? "Category" : "类别",
          en ? "Title" : "标题",
          en ? "Added" : "添加时间",
          en ? "Versions" : "版本",
          en ? "What it contains" : "包含的信息",
          en ? "Copies handed out" : "副本去向",
        ],
        p.documents.map((d) => [
          d.categoryLabel,
          d.title ?? "—",
          at(d.createdAt),
          d.versions,
          d.findings.map((f) => `${f.label} ×${f.count}`).join("; ") || "—",
          d.copies.map((c) => `${at(c.at)} ${c.recipient}`).join("; ") || "—",
        ]),
      ),
      p.documents.some((d) => d.file || d.fileOmitted)
        ? `<p>${t(
            "您的身份证明文件本身附在 JSON 格式的下载中；过大或无法读取的文件请联系我们获取。",
            "Your identity documents themselves are attached to the JSON download; ask us for any that were too large or could not be read.",
          )}</p>`
        : "",
      `<h2>${t("向本所以外的接收方提供", "Recipients outside the firm")}</h2>`,
      table(
        [en ? "When" : "时间", en ? "Recipient" : "接收方", en ? "Purpose" : "目的", en ? "What" : "提供的信息", en ? "Status" : "状态"],
        p.disclosures.map((d) => [at(d.at), `${d.recipient} (${d.jurisdiction})`, d.purpose, d.fields.join("; "), d.status]),
      ),
      `<h2>${t("访问记录", "Who accessed your information")}</h2>`,
      table(
        [en ? "When" : "时间", en ? "Who" : "访问者", en ? "Action" : "操作", en ? "Purpose" : "目的", en ? "Outcome" : "结果"],
        p.accessHistory.map((a) => [at(a.at), a.actor, codeLabel(lang, "action", a.action), purposeName(a.purpose), codeLabel(lang, "outcome", a.outcome)]),
      ),
    );
  }
  parts.push(
    `<h2>${t("数据清单", "Data inventory")}</h2>`,
    table(
      [en ? "Field" : "字段", en ? "Why" : "用途"],
      p.inventory.map((i) => [i.label, i.purpose]),
    ),
    "</body></html>",
  );
  return parts.join("\n");
}
