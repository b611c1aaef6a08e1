/** The quarterly report's words in Simplified Chinese (default) and English: codes in, labels out. */
import type { KpiCode } from "./kpi.js";

export type ReportLanguage = "zh" | "en";

interface Labels {
  title: string;
  subtitle: (quarter: string, timeZone: string) => string;
  generatedAt: string;
  asOf: string;
  value: string;
  target: string;
  met: string;
  yes: string;
  no: string;
  noValue: string;
  figures: string;
  records: string;
  notCounted: string;
  trend: string;
  period: string;
  summary: string;
  atLeast: string;
  atMost: string;
  kpi: string;
  numerator: string;
  denominator: string;
  recordColumns: { type: string; reference: string; id: string; parent: string; at: string; counted: string; detail: string };
  truncated: (shown: number, total: number) => string;
  names: Record<KpiCode, string>;
  counts: Record<string, string>;
}

export const REPORT_LABELS: Readonly<Record<ReportLanguage, Labels>> = Object.freeze({
  zh: {
    title: "隐私合规指标季度报告",
    subtitle: (q, tz) => `季度 ${q}（时区 ${tz}）`,
    generatedAt: "生成时间",
    asOf: "计算截至",
    value: "数值",
    target: "目标",
    met: "是否达标",
    yes: "达标",
    no: "未达标",
    noValue: "无可计量记录",
    figures: "计数",
    records: "记录",
    notCounted: "未计入分子",
    trend: "趋势",
    period: "期间",
    summary: "汇总",
    atLeast: "不低于",
    atMost: "不高于",
    kpi: "指标",
    numerator: "分子",
    denominator: "分母",
    recordColumns: { type: "类型", reference: "编号", id: "记录 ID", parent: "所属记录 ID", at: "日期", counted: "计入分子", detail: "说明" },
    truncated: (shown, total) => `仅列出 ${shown} 条，共 ${total} 条`,
    names: {
      approval_compliance: "审批合规率",
      leak_incident_rate: "泄露事件率",
      encryption_coverage: "加密覆盖率",
      training_completion: "培训完成率",
      acknowledgement_completion: "协议确认完成率",
      requests_on_time: "个人请求按时处理率",
      access_review_completion: "权限复核完成率",
    },
    counts: {
      operations_with_grant: "有有效审批的敏感操作",
      sensitive_operations: "敏感操作",
      leak_incidents: "确认泄露个人信息的事件",
      clients: "在册客户",
      holdings_sealed: "已加密的记录和文件",
      holdings: "记录和文件",
      obligations_on_time: "按时完成的培训任务",
      obligations: "培训任务",
      staff_acknowledged: "已确认现行保密协议的员工",
      staff: "员工",
      requests_on_time: "按时办结的请求",
      requests_due: "到期的请求",
      items_completed: "按时完成的复核项",
      items_due: "到期的复核项",
    },
  },
  en: {
    title: "Quarterly privacy KPI report",
    subtitle: (q, tz) => `Quarter ${q} (time zone ${tz})`,
    generatedAt: "Generated",
    asOf: "Measured as of",
    value: "Value",
    target: "Target",
    met: "Met",
    yes: "met",
    no: "not met",
    noValue: "nothing to measure",
    figures: "Figures",
    records: "Records",
    notCounted: "not in the numerator",
    trend: "Trend",
    period: "Period",
    summary: "Summary",
    atLeast: "at least",
    atMost: "at most",
    kpi: "KPI",
    numerator: "Numerator",
    denominator: "Denominator",
    recordColumns: { type: "Type", reference: "Reference", id: "Record id", parent: "Parent id", at: "Date", counted: "In numerator", detail: "Detail" },
    truncated: (shown, total) => `${shown} of ${total} listed`,
    names: {
      approval_compliance: "Approval compliance",
      leak_incident_rate: "Leak-incident rate",
      encryption_coverage: "Encryption coverage",
      training_completion: "Training completion",
      acknowledgement_completion: "Agreement acknowledgement",
      requests_on_time: "Requests handled on time",
      access_review_completion: "Access-review completion",
    },
    counts: {
      operations_with_grant: "sensitive operations with a valid approval",
      sensitive_operations: "sensitive operations",
      leak_incidents: "incidents with a confirmed leak of personal data",
      clients: "clients on record",
      holdings_sealed: "records and files encrypted",
      holdings: "records and files",
      obligations_on_time: "training obligations met on time",
      obligations: "training obligations",
      staff_acknowledged: "staff who acknowledged the current NDA",
      staff: "staff",
      requests_on_time: "requests closed on time",
      requests_due: "requests due",
      items_completed: "review items completed on time",
      items_due: "review items due",
    },
  },
});

/** A share as a percentage with up to two decimals: 0.005 → "0.5%", 2/3 → "66.67%". */
export const percent = (value: number | null): string => (value === null ? "—" : `${Number((value * 100).toFixed(2))}%`);
