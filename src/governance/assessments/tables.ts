/** Storage shapes of self-assessments, compliance audits and findings (migration 0035). Dates are YYYY-MM-DD, instants ISO. */

/** One control of the self-assessment list: data, seeded from REQUIREMENTS.md and PIPL, edited by compliance. */
export interface DbAssessmentControl {
  /** A requirement id (ENC-1) or a PIPL article (PIPL-54). */
  code: string;
  position: number;
  /** The requirement family (ENC, IAM …) or PIPL. */
  area: string;
  title_zh: string;
  title_en: string;
  /** The name of an evidence function (evidence.ts), or null: answered by hand only. */
  evidence_source: string | null;
  /** 0: not applicable to the firm (the note says why). */
  applicable: number;
  applicability_note: string | null;
  active: number;
  updated_at: string;
  updated_by: string | null;
}

export interface DbAssessmentRun {
  id: string;
  /** quarterly | yearly | ad_hoc */
  kind: string;
  planned_on: string;
  /** JSON array of control areas; [] is every area. */
  scope: string;
  assessor_id: string;
  /** planned | in_progress | completed */
  status: string;
  /** The run before this one, whose unfinished findings this one lists (re-assessment). */
  previous_run_id: string | null;
  started_at: string | null;
  completed_at: string | null;
  created_by: string;
  created_at: string;
}

/** A control in a run: the evidence snapshotted at the start, and the answer given by hand. */
export interface DbAssessmentResult {
  run_id: string;
  control_code: string;
  /** JSON: the evidence function's figures at the start of the run; null without a source. */
  evidence: string | null;
  /** What the evidence suggests: met | partly | not_met; null without a source. */
  suggested: string | null;
  /** met | partly | not_met | not_applicable; null until answered. */
  result: string | null;
  notes_ct: string | null;
  /** JSON array of document references (document ids or the firm's file numbers). */
  document_refs: string;
  answered_by: string | null;
  answered_at: string | null;
}

/** A compliance audit (PIPL Art 54), internal or by an outside firm. */
export interface DbComplianceAudit {
  id: string;
  /** internal | external */
  kind: string;
  /** The auditor or audit firm, sealed (it may name a person). */
  auditor_ct: string;
  period_from: string;
  period_to: string;
  scope_ct: string;
  /** The report's number or file reference. */
  report_reference: string | null;
  /** The report in the document store (src/records/documents/), by id only. */
  report_document_id: string | null;
  /** compliant | compliant_with_findings | non_compliant */
  conclusion: string;
  completed_on: string;
  created_by: string;
  created_at: string;
}

export interface DbAssessmentFinding {
  id: string;
  /** Raised by a run or by an audit: exactly one of the two. */
  run_id: string | null;
  audit_id: string | null;
  control_code: string | null;
  summary_ct: string;
  /** low | medium | high | critical */
  severity: string;
  owner_id: string;
  due_on: string;
  /** open | in_remediation | resolved | verified */
  status: string;
  resolution_ct: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  verified_by: string | null;
  verified_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AssessmentTables {
  assessment_controls: DbAssessmentControl;
  assessment_runs: DbAssessmentRun;
  assessment_results: DbAssessmentResult;
  compliance_audits: DbComplianceAudit;
  assessment_findings: DbAssessmentFinding;
}
