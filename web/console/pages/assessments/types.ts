/** What the assessments API answers (src/http/routes/assessments/schema.ts), as the console reads it. */

export const RUN_KINDS = ["quarterly", "yearly", "ad_hoc"] as const;
export const RESULTS = ["met", "partly", "not_met", "not_applicable"] as const;
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export const FINDING_STATUSES = ["open", "in_remediation", "resolved", "verified"] as const;
export const AUDIT_KINDS = ["internal", "external"] as const;
export const AUDIT_CONCLUSIONS = ["compliant", "compliant_with_findings", "non_compliant"] as const;
export const PIA_TRIGGERS = ["sensitive_pi", "automated_decision", "entrusting", "providing", "publishing", "cross_border", "other"] as const;
export const PIA_CONCLUSIONS = ["acceptable", "acceptable_with_measures", "not_acceptable"] as const;

export const RESULT_COLOURS: Record<string, string> = { met: "green", partly: "gold", not_met: "red", not_applicable: "default" };
export const SEVERITY_COLOURS: Record<string, string> = { low: "default", medium: "gold", high: "orange", critical: "red" };
export const FINDING_COLOURS: Record<string, string> = { open: "red", in_remediation: "gold", resolved: "blue", verified: "green" };
export const RUN_COLOURS: Record<string, string> = { planned: "default", in_progress: "blue", completed: "green" };

export interface Control {
  code: string;
  area: string;
  titleZh: string;
  titleEn: string;
  evidenceSource: string | null;
  applicable: boolean;
  applicabilityNote: string | null;
  active: boolean;
}

export interface Finding {
  id: string;
  runId: string | null;
  auditId: string | null;
  controlCode: string | null;
  summary: string;
  severity: string;
  ownerId: string;
  dueOn: string;
  status: string;
  overdue: boolean;
  resolution: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  verifiedBy: string | null;
  verifiedAt: string | null;
  createdAt: string;
}

export interface RunSummary {
  id: string;
  kind: string;
  plannedOn: string;
  scope: string[];
  assessorId: string;
  status: string;
  previousRunId: string | null;
  startedAt: string | null;
  completedAt: string | null;
  counts: { controls: number; answered: number; gaps: number; findings: number; openFindings: number };
}

export type Figure = number | string | boolean | null;
export interface Result {
  code: string;
  area: string;
  titleZh: string;
  titleEn: string;
  evidenceSource: string | null;
  evidence: Record<string, Figure> | null;
  suggested: string | null;
  result: string | null;
  notes: string | null;
  documentRefs: string[];
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface Run extends RunSummary {
  results: Result[];
  findings: Finding[];
  carriedOver: Finding[];
}

export interface Audit {
  id: string;
  kind: string;
  auditor: string;
  periodFrom: string;
  periodTo: string;
  scope: string;
  reportReference: string | null;
  reportDocumentId: string | null;
  conclusion: string;
  completedOn: string;
  findings: Finding[];
  openFindings: number;
}

export interface Pia {
  id: string;
  subject: string | null;
  trigger: string | null;
  partnerId: string | null;
  partnerName: string | null;
  conductedOn: string;
  summary: string;
  conclusion: string;
  keepUntil: string;
  deletable: boolean;
}

/** Shares (0–1) are shown as percentages; the keys that hold one. */
export const SHARE_FIGURES = new Set(["coverage", "compliance"]);
