import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0035: self-assessments, compliance audits and the PI impact assessment register (issue #14,
 * GOV-3, GOV-4, AUD-3, PIPL Art 54–56).
 * - `assessment_controls`: the control list, seeded below as literal data from REQUIREMENTS.md and
 *   the main PIPL obligations; a firm edits it afterwards (applicability, texts, evidence source).
 *   `evidence_source` names a function of the evidence registry (src/governance/assessments/evidence.ts).
 * - `assessment_runs` and `assessment_results`: a run (quarterly, yearly, ad hoc) and, per control,
 *   the evidence snapshotted when the run started and the answer given by hand (notes sealed).
 * - `compliance_audits` (PIPL Art 54) and `assessment_findings`, raised by a run or an audit.
 * - `partner_pias` becomes the firm's PIA register: `partner_id` may be null (a PIA about a
 *   processing activity rather than a partner), with `subject` and the Art 55 `trigger`.
 * Dates are text (YYYY-MM-DD), booleans 0/1, lists JSON text: the same on both engines.
 */
export const name = "0035_assessments";

type Control = readonly [code: string, area: string, titleZh: string, titleEn: string, evidence: string | null, applicable: 0 | 1, note: string | null];

/** The seeded control list: REQUIREMENTS.md ids with short titles, then PIPL obligations. */
const CONTROLS: readonly Control[] = [
  ["CLS-1", "CLS", "数据分类分级", "Data categories and sensitivity levels", null, 1, null],
  ["CLS-2", "CLS", "数据清单", "Data inventory", null, 1, null],
  ["CLS-3", "CLS", "最小必要收集", "Collect only what a purpose needs", null, 1, null],
  ["CLS-4", "CLS", "数据质量", "Data quality of key identifiers", null, 1, null],
  ["ENC-1", "ENC", "存储加密（覆盖率 100%）", "Encryption at rest (100% coverage)", "encryption_coverage", 1, null],
  ["ENC-2", "ENC", "传输加密", "Encryption in transit", null, 1, null],
  ["ENC-3", "ENC", "密钥管理与轮换", "Key management and rotation", null, 1, null],
  ["ENC-4", "ENC", "多重加密", "Multiple layers of protection", null, 1, null],
  ["ENC-5", "ENC", "上云前加密", "Encrypt before data leaves for a cloud", null, 1, null],
  ["IAM-1", "IAM", "最小权限", "Role-based least privilege", null, 1, null],
  ["IAM-2", "IAM", "多因素认证", "Multi-factor authentication", null, 1, null],
  ["IAM-3", "IAM", "信息共享层级管理", "Tiered sharing of the most sensitive data", null, 1, null],
  ["IAM-4", "IAM", "定期权限复核", "Periodic access review", "access_reviews", 1, null],
  ["IAM-5", "IAM", "目的限定", "Use only within the purposes told to the client", null, 1, null],
  ["APR-1", "APR", "调阅审批（合规率 100%）", "Approval of access and copying (100% compliance)", "approval_compliance", 1, null],
  ["APR-2", "APR", "披露双重审批", "Dual approval of disclosures", null, 1, null],
  ["APR-3", "APR", "超常规使用审批", "Approval of use beyond routine", null, 1, null],
  ["AUD-1", "AUD", "完整可追溯的操作日志", "Complete, traceable audit trail", "audit_chain", 1, null],
  ["AUD-2", "AUD", "实时监控与告警", "Real-time monitoring and alerts", null, 1, null],
  ["AUD-3", "AUD", "定期审计数据使用", "Periodic audit of data use", null, 1, null],
  ["AUD-4", "AUD", "内部举报渠道", "Internal reporting of suspicious use", null, 1, null],
  ["CON-1", "CON", "告知与明示同意", "Notice and explicit consent", null, 1, null],
  ["CON-2", "CON", "新用途重新同意", "New consent for a new use", null, 1, null],
  ["CON-3", "CON", "公开隐私政策", "Published privacy policy", null, 1, null],
  ["CON-4", "CON", "公开联系渠道", "Published contact channels", null, 1, null],
  ["DSR-1", "DSR", "查询权（请求按期答复）", "Right to query (requests answered on time)", "overdue_requests", 1, null],
  ["DSR-2", "DSR", "更正权", "Right to correct", null, 1, null],
  ["DSR-3", "DSR", "删除权与撤回同意", "Right to delete and withdraw consent", null, 1, null],
  ["RET-1", "RET", "保存期限", "Retention periods", null, 1, null],
  ["RET-2", "RET", "匿名化", "Anonymisation", null, 1, null],
  ["RET-3", "RET", "合规销毁", "Compliant destruction", null, 1, null],
  ["BCK-1", "BCK", "备份与灾难恢复", "Backups and disaster recovery", null, 1, null],
  ["INC-1", "INC", "事件识别与分级", "Identify and grade incidents", null, 1, null],
  ["INC-2", "INC", "限时报告", "Report within time limits", null, 1, null],
  ["INC-3", "INC", "应急响应小组", "Cross-department response team", null, 1, null],
  ["INC-4", "INC", "通知受影响客户", "Notify affected clients", null, 1, null],
  ["INC-5", "INC", "事后分析与演练", "Post-incident analysis and drills", null, 1, null],
  ["PAP-1", "PAP", "纸质档案室管控", "Controlled archive room for paper files", null, 1, null],
  ["PAP-2", "PAP", "纸质资料借阅与盘点", "Paper borrowing records and stocktakes", null, 1, null],
  ["TRN-1", "TRN", "定期隐私培训", "Regular privacy training", "training_completion", 1, null],
  ["TRN-2", "TRN", "保密协议与背景调查", "Confidentiality agreements and background checks", null, 1, null],
  ["TRN-3", "TRN", "保密纳入考核", "Confidentiality in appraisals", null, 1, null],
  ["VEN-1", "VEN", "合作方能力评估", "Assess partners before sharing", null, 1, null],
  ["VEN-2", "VEN", "合作方合同义务", "Partner contract obligations", null, 1, null],
  ["VEN-3", "VEN", "对外共享去标识化", "De-identify what is shared", null, 1, null],
  ["VEN-4", "VEN", "合作方监督", "Monitor partners", null, 1, null],
  ["CMP-1", "CMP", "投诉处理", "Complaint handling", null, 1, null],
  ["GOV-1", "GOV", "隐私保护团队", "Privacy-protection team", null, 1, null],
  ["GOV-2", "GOV", "书面隐私制度", "Written privacy policy, kept current", null, 1, null],
  ["GOV-3", "GOV", "定期自查与评估", "Periodic checks and assessments", null, 1, null],
  ["GOV-4", "GOV", "监管检查准备", "Ready for regulator inspections", null, 1, null],
  ["GOV-5", "GOV", "问责与惩戒", "Accountability and sanctions", null, 1, null],
  ["GOV-6", "GOV", "可量化目标", "Measurable targets", null, 1, null],
  ["CHN-1", "CHN", "设备与渠道管控", "Devices and channels under policy", null, 1, null],
  ["PIPL-51", "PIPL", "第五十一条 个人信息保护措施", "Art 51 protection measures", null, 1, null],
  [
    "PIPL-52",
    "PIPL",
    "第五十二条 个人信息保护负责人",
    "Art 52 PI protection officer",
    null,
    1,
    "处理个人信息达到国家网信部门规定数量的，应当指定 / Required once the CAC's volume threshold is reached",
  ],
  ["PIPL-54", "PIPL", "第五十四条 定期合规审计", "Art 54 regular compliance audits", null, 1, null],
  ["PIPL-55", "PIPL", "第五十五条 事前个人信息保护影响评估", "Art 55 prior PI impact assessment", null, 1, null],
  ["PIPL-56", "PIPL", "第五十六条 影响评估内容与保存三年", "Art 56 PIA contents, kept 3 years", null, 1, null],
  ["PIPL-57", "PIPL", "第五十七条 泄露通知", "Art 57 breach notification", null, 1, null],
  [
    "PIPL-58",
    "PIPL",
    "第五十八条 大型平台义务",
    "Art 58 duties of large platforms",
    null,
    0,
    "律师事务所不提供重要互联网平台服务 / A law firm runs no large internet platform",
  ],
];

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("assessment_controls")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("position", "integer", (c) => c.notNull())
      .addColumn("area", "text", (c) => c.notNull())
      .addColumn("title_zh", "text", (c) => c.notNull())
      .addColumn("title_en", "text", (c) => c.notNull())
      .addColumn("evidence_source", "text")
      .addColumn("applicable", "integer", (c) => c.notNull())
      .addColumn("applicability_note", "text")
      .addColumn("active", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .execute();
    const now = new Date().toISOString();
    await db
      .insertInto("assessment_controls")
      .values(
        CONTROLS.map(([code, area, titleZh, titleEn, evidence, applicable, note], i) => ({
          code,
          position: (i + 1) * 10,
          area,
          title_zh: titleZh,
          title_en: titleEn,
          evidence_source: evidence,
          applicable,
          applicability_note: note,
          active: 1,
          updated_at: now,
          updated_by: null,
        })),
      )
      .execute();
    await db.schema
      .createTable("assessment_runs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("planned_on", "text", (c) => c.notNull())
      .addColumn("scope", "text", (c) => c.notNull())
      .addColumn("assessor_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("previous_run_id", "text")
      .addColumn("started_at", "text")
      .addColumn("completed_at", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("assessment_results")
      .addColumn("run_id", "text", (c) => c.notNull().references("assessment_runs.id"))
      .addColumn("control_code", "text", (c) => c.notNull().references("assessment_controls.code"))
      .addColumn("evidence", "text")
      .addColumn("suggested", "text")
      .addColumn("result", "text")
      .addColumn("notes_ct", "text")
      .addColumn("document_refs", "text", (c) => c.notNull())
      .addColumn("answered_by", "text")
      .addColumn("answered_at", "text")
      .addPrimaryKeyConstraint("assessment_results_pk", ["run_id", "control_code"])
      .execute();
    await db.schema
      .createTable("compliance_audits")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("auditor_ct", "text", (c) => c.notNull())
      .addColumn("period_from", "text", (c) => c.notNull())
      .addColumn("period_to", "text", (c) => c.notNull())
      .addColumn("scope_ct", "text", (c) => c.notNull())
      .addColumn("report_reference", "text")
      .addColumn("report_document_id", "text")
      .addColumn("conclusion", "text", (c) => c.notNull())
      .addColumn("completed_on", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("assessment_findings")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("run_id", "text", (c) => c.references("assessment_runs.id"))
      .addColumn("audit_id", "text", (c) => c.references("compliance_audits.id"))
      .addColumn("control_code", "text")
      .addColumn("summary_ct", "text", (c) => c.notNull())
      .addColumn("severity", "text", (c) => c.notNull())
      .addColumn("owner_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("due_on", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("resolution_ct", "text")
      .addColumn("resolved_by", "text")
      .addColumn("resolved_at", "text")
      .addColumn("verified_by", "text")
      .addColumn("verified_at", "text")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("assessment_findings_by_run").on("assessment_findings").column("run_id").execute();
    await db.schema.createIndex("assessment_findings_by_audit").on("assessment_findings").column("audit_id").execute();
    // The overdue list and the reminder job: unfinished findings by deadline.
    await db.schema.createIndex("assessment_findings_by_due").on("assessment_findings").columns(["status", "due_on"]).execute();

    // partner_pias becomes the firm's PIA register: a PIA may concern a processing activity, not a partner.
    if (bin === "blob") await rebuildPartnerPiasOnSqlite(db);
    else
      await db.schema
        .alterTable("partner_pias")
        .alterColumn("partner_id", (c) => c.dropNotNull())
        .execute();
    await db.schema.alterTable("partner_pias").addColumn("subject", "text").execute();
    await db.schema.alterTable("partner_pias").addColumn("trigger", "text").execute();
  },
});

const PIA_COLUMNS = "id, partner_id, conducted_on, summary_ct, conclusion, keep_until, created_by, created_at";

/**
 * SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (as 0016 does): foreign keys
 * off for the swap, which runs in one transaction, then checked. partner_transfer_bases refers to
 * partner_pias by name, so its references hold after the rename.
 */
async function rebuildPartnerPiasOnSqlite(db: Kysely<any>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      await tx.schema
        .createTable("partner_pias_new")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("partner_id", "text", (c) => c.references("partners.id"))
        .addColumn("conducted_on", "text", (c) => c.notNull())
        .addColumn("summary_ct", "text", (c) => c.notNull())
        .addColumn("conclusion", "text", (c) => c.notNull())
        .addColumn("keep_until", "text", (c) => c.notNull())
        .addColumn("created_by", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .execute();
      await sql.raw(`insert into partner_pias_new (${PIA_COLUMNS}) select ${PIA_COLUMNS} from partner_pias`).execute(tx);
      await tx.schema.dropTable("partner_pias").execute();
      await tx.schema.alterTable("partner_pias_new").renameTo("partner_pias").execute();
      await tx.schema.createIndex("partner_pias_by_partner").on("partner_pias").column("partner_id").execute();
      const broken = await sql`pragma foreign_key_check`.execute(tx);
      if (broken.rows.length) throw new Error("partner_pias rebuild left broken foreign keys");
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
