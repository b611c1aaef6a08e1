/**
 * The inspection pack (GOV-4): everything a regulator asks for at a visit, in one ZIP — the latest
 * self-assessment with its findings, compliance-audit records, the PIA register, the internal
 * policies list, the processing
 * inventory, retention schedules, the incident register and the audit log's state — each part as
 * JSON and CSV, with a README.txt index in Chinese. It holds no client personal data: incidents by
 * reference, date and counts; the inventory by field, never a value. Generating it takes
 * `inspection.pack` (compliance) and is audited.
 */
import JSZip from "jszip";
import type { RequestContext } from "../../access/policy/actor.js";
import { authorize } from "../../access/policy/policy.js";
import { runAudited } from "../../platform/audit/audited.js";
import type { Tx } from "../../platform/db/engine.js";
import type { Services } from "../../platform/services.js";
import { buildInventory } from "../../records/inventory/inventory.js";
import { loadSchedules } from "../retention/retention-schedule.js";
import { auditsIn } from "./compliance-audits.js";
import { type Cell, toCsv } from "./csv.js";
import { EVIDENCE_SOURCES } from "./evidence.js";
import { findingsIn } from "./findings-view.js";
import { piaRegisterIn } from "./pia-register.js";
import { latestRunId, readRunIn } from "./runs.js";

interface Part {
  /** File name without extension: <name>.json and <name>.csv. */
  name: string;
  titleZh: string;
  json: unknown;
  header: readonly string[];
  rows: readonly (readonly Cell[])[];
}

export interface InspectionPack {
  fileName: string;
  bytes: Buffer;
  files: string[];
}

/** Staff are named as the staff directory names them: the display name, else the email's local part. */
const staffNames = async (tx: Tx): Promise<Map<string, string>> =>
  new Map((await tx.selectFrom("users").select(["id", "display_name", "email"]).execute()).map((u) => [u.id, u.display_name || u.email.split("@")[0]!]));

async function parts(services: Services, tx: Tx, now: Date): Promise<Part[]> {
  const names = await staffNames(tx);
  const staff = (id: string | null) => (id ? (names.get(id) ?? id) : null);
  const out: Part[] = [];

  const runId = await latestRunId(tx);
  const run = runId ? await readRunIn(services, tx, runId, now) : null;
  out.push({
    name: "01-assessment",
    titleZh: "最近一次自查评估（各控制项的结论与自动证据）",
    json: run ? { ...run, assessorName: staff(run.assessorId) } : null,
    header: [
      "run_id",
      "kind",
      "planned_on",
      "status",
      "control",
      "area",
      "title_zh",
      "evidence_source",
      "evidence",
      "suggested",
      "result",
      "notes",
      "documents",
    ],
    rows: (run?.results ?? []).map((r) => [
      run!.id,
      run!.kind,
      run!.plannedOn,
      run!.status,
      r.code,
      r.area,
      r.titleZh,
      r.evidenceSource,
      r.evidence ? JSON.stringify(r.evidence) : null,
      r.suggested,
      r.result,
      r.notes,
      r.documentRefs.join("; "),
    ]),
  });

  const findings = (await findingsIn(services, tx, {}, now)).map((f) => ({ ...f, ownerName: staff(f.ownerId), verifiedByName: staff(f.verifiedBy) }));
  out.push({
    name: "02-findings",
    titleZh: "全部整改事项（负责人、期限、状态、是否逾期）",
    json: findings,
    header: [
      "finding_id",
      "run_id",
      "audit_id",
      "control",
      "severity",
      "summary",
      "owner",
      "due_on",
      "status",
      "overdue",
      "resolution",
      "resolved_at",
      "verified_by",
      "verified_at",
    ],
    rows: findings.map((f) => [
      f.id,
      f.runId,
      f.auditId,
      f.controlCode,
      f.severity,
      f.summary,
      f.ownerName,
      f.dueOn,
      f.status,
      f.overdue,
      f.resolution,
      f.resolvedAt,
      f.verifiedByName,
      f.verifiedAt,
    ]),
  });

  const audits = (await auditsIn(services, tx, now)).map(({ findings: fs, ...a }) => ({ ...a, findingIds: fs.map((f) => f.id) }));
  out.push({
    name: "03-compliance-audits",
    titleZh: "个人信息保护合规审计记录（《个人信息保护法》第五十四条）",
    json: audits,
    header: [
      "audit_id",
      "kind",
      "auditor",
      "period_from",
      "period_to",
      "scope",
      "report_reference",
      "report_document_id",
      "conclusion",
      "completed_on",
      "open_findings",
    ],
    rows: audits.map((a) => [
      a.id,
      a.kind,
      a.auditor,
      a.periodFrom,
      a.periodTo,
      a.scope,
      a.reportReference,
      a.reportDocumentId,
      a.conclusion,
      a.completedOn,
      a.openFindings,
    ]),
  });

  const pias = await piaRegisterIn(services, tx, now);
  out.push({
    name: "04-pia-register",
    titleZh: "个人信息保护影响评估登记（第五十五、五十六条，保存至少三年）",
    json: pias,
    header: ["pia_id", "subject", "trigger", "partner", "conducted_on", "conclusion", "keep_until", "summary"],
    rows: pias.map((p) => [p.id, p.subject, p.trigger, p.partnerName, p.conductedOn, p.conclusion, p.keepUntil, p.summary]),
  });

  // The firm's internal policies (GOV-2, src/governance/policies/): titles, owners, review dates; not their texts.
  const policies = (
    await tx
      .selectFrom("policies")
      .select(["id", "code", "title_zh", "title_en", "owner_id", "review_months", "next_review_on", "current_version", "status"])
      .orderBy("code")
      .execute()
  ).map((r) => ({
    id: r.id,
    code: r.code,
    titleZh: r.title_zh,
    titleEn: r.title_en,
    ownerName: staff(r.owner_id),
    reviewMonths: Number(r.review_months),
    nextReviewOn: r.next_review_on,
    currentVersion: r.current_version === null ? null : Number(r.current_version),
    status: r.status,
  }));
  out.push({
    name: "05-policies",
    titleZh: "内部制度清单（名称、负责人、版本、复审日期）",
    json: policies,
    header: ["policy_id", "code", "title_zh", "title_en", "owner", "status", "current_version", "review_months", "next_review_on"],
    rows: policies.map((p) => [p.id, p.code, p.titleZh, p.titleEn, p.ownerName, p.status, p.currentVersion, p.reviewMonths, p.nextReviewOn]),
  });

  const inventory = buildInventory();
  out.push({
    name: "06-processing-inventory",
    titleZh: "个人信息处理清单（字段、分级、存储、目的、可见角色；不含任何数据值）",
    json: inventory,
    header: ["dataset", "field", "label_zh", "category", "level", "required", "storage", "purpose_zh", "readable_by", "masked_for", "retention"],
    rows: inventory.map((e) => [
      e.dataset,
      e.field,
      e.labelZh,
      e.category,
      e.level,
      e.required,
      e.storage,
      e.purposeZh,
      e.readableBy.join(" "),
      e.maskedFor.join(" "),
      e.retention,
    ]),
  });

  const schedules = [...(await loadSchedules(tx)).values()];
  out.push({
    name: "07-retention-schedules",
    titleZh: "保存期限表",
    json: schedules,
    header: ["record_class", "trigger", "period_amount", "period_unit", "unconfirmed_default", "updated_at"],
    rows: schedules.map((s) => [s.recordClass, s.trigger, s.periodAmount, s.periodUnit, s.isDefault, s.updatedAt]),
  });

  // References, dates and counts only: the incident's contact, notes and members stay out.
  const incidents = await tx
    .selectFrom("incidents")
    .select(["id", "source", "category", "severity", "status", "people_affected", "eu_subjects", "aware_at", "opened_at", "closed_at"])
    .orderBy("opened_at", "desc")
    .execute();
  const incidentItems = incidents.map((i) => ({
    id: i.id,
    source: i.source,
    category: i.category,
    severity: i.severity,
    status: i.status,
    peopleAffected: Number(i.people_affected),
    euSubjects: Number(i.eu_subjects) === 1,
    awareAt: i.aware_at,
    openedAt: i.opened_at,
    closedAt: i.closed_at,
  }));
  out.push({
    name: "08-incidents",
    titleZh: "安全事件登记（编号、日期、分级、状态、受影响人数；不含个人信息）",
    json: incidentItems,
    header: ["incident_id", "source", "category", "severity", "status", "people_affected", "eu_subjects", "aware_at", "opened_at", "closed_at"],
    rows: incidentItems.map((i) => [i.id, i.source, i.category, i.severity, i.status, i.peopleAffected, i.euSubjects, i.awareAt, i.openedAt, i.closedAt]),
  });

  const chain = await EVIDENCE_SOURCES.audit_chain(tx);
  out.push({
    name: "09-audit-log-state",
    titleZh: "审计日志状态（最新签名检查点、待排序事件、最近一次完整校验结果）",
    json: { ...chain.figures, assessedAt: now.toISOString() },
    header: ["figure", "value"],
    rows: Object.entries(chain.figures).map(([k, v]) => [k, v]),
  });
  return out;
}

function readme(list: readonly Part[], now: Date): string {
  const lines = [
    "监管检查资料包 (Custodia)",
    `生成时间（UTC）：${now.toISOString()}`,
    "",
    "本资料包供监管部门现场检查使用。每一部分同时提供 JSON 与 CSV（UTF-8，可用 Excel 打开）两种格式。",
    "资料包不含任何客户个人信息：安全事件仅列编号、日期、分级与人数；处理清单仅列字段，不含数据值。",
    "",
    "目录：",
    ...list.map((p) => `  ${p.name}.json / ${p.name}.csv — ${p.titleZh}`),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

/** Builds the pack in the caller's transaction (read-only). */
export async function buildInspectionPack(services: Services, tx: Tx, now: Date): Promise<InspectionPack> {
  const list = await parts(services, tx, now);
  const zip = new JSZip();
  const date = new Date(now.getTime());
  zip.file("README.txt", readme(list, now), { date });
  for (const p of list) {
    zip.file(`${p.name}.json`, `${JSON.stringify(p.json, null, 2)}\n`, { date });
    zip.file(`${p.name}.csv`, toCsv(p.header, p.rows), { date });
  }
  // Stored, not deflated: the pack is small, and anyone can check its bytes for what must not be there.
  const bytes = await zip.generateAsync({ type: "nodebuffer", compression: "STORE" });
  const stamp = now.toISOString().slice(0, 10);
  return { fileName: `inspection-pack-${stamp}.zip`, bytes, files: Object.keys(zip.files).sort() };
}

export async function generateInspectionPack(services: Services, ctx: RequestContext, now = new Date()): Promise<InspectionPack> {
  return runAudited(services, { ...ctx, purpose: null }, async (w) => {
    const event = { action: "inspection.pack", targetType: "inspection_pack", targetId: null };
    const decision = authorize(ctx.actor, "inspection.pack");
    if (decision.effect === "deny") return w.deny(decision, event);
    const pack = await buildInspectionPack(services, w.tx, now);
    w.record({ ...event, outcome: "success", details: { files: pack.files.length, bytes: pack.bytes.length, runId: await latestRunId(w.tx) } });
    return pack;
  });
}
