/** Storage shapes of detection, incidents and internal reports (migration 0006). Ids and codes only. */

export interface DbDetectionRule {
  /** bulk_read | export_volume | off_hours | auth_failures | disabled_account | wall_breach | l4_rate */
  code: string;
  enabled: number;
  /** low | medium | high | critical */
  severity: string;
  /** none | suspend_sessions_and_tokens | require_reauth */
  containment: string;
  /** JSON: the rule's thresholds, windows and action lists. */
  params: string;
  updated_at: string;
  updated_by: string | null;
}

export interface DbIncident {
  id: string;
  /** alert | staff_report | client_complaint | partner | regulator */
  source: string;
  /** unauthorised_access | loss | disclosure | ransomware | paper_file_loss | other */
  category: string;
  /** A cause code (notice texts come from the translation tables). */
  cause: string;
  /** JSON array of remedial-measure codes. */
  measures: string;
  people_affected: number;
  l4_involved: number;
  left_firm: number;
  /** 1: clients in the EU are affected, so the GDPR regimes apply. */
  eu_subjects: number;
  severity: string;
  /** open | contained | investigating | notifying | closed */
  status: string;
  /** When the firm became aware: deadlines run from here. */
  aware_at: string;
  /** The firm's privacy contact printed in notices (a role address, not a client's data). */
  contact: string;
  alert_id: string | null;
  opened_by: string;
  opened_at: string;
  closed_at: string | null;
}

export interface DbIncidentTimeline {
  id: string;
  incident_id: string;
  status: string;
  at: string;
  by_user: string;
}

export interface DbIncidentMember {
  incident_id: string;
  user_id: string;
  /** lead | investigator | legal | it | communications */
  role: string;
  added_at: string;
}

export interface DbIncidentTask {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string;
  due_at: string;
  /** open | done */
  status: string;
  created_at: string;
  done_at: string | null;
}

export interface DbIncidentAffectedClient {
  incident_id: string;
  client_id: string;
  /** JSON array of field names read in clear (or exported). */
  fields: string;
  exported: number;
  computed_at: string;
}

export interface DbNotificationRegime {
  code: string;
  jurisdiction: string;
  /** regulator | individuals */
  recipient: string;
  hours: number;
  /** The lowest incident severity that triggers the duty. */
  min_severity: string;
  /** always | eu_subjects */
  applies_when: string;
  display_time_zone: string;
  /** 0: the figure is an editable default not confirmed against the text (UNVERIFIED). */
  verified: number;
  active: number;
  basis: string;
}

export interface DbIncidentDuty {
  id: string;
  incident_id: string;
  regime_code: string;
  recipient: string;
  due_at: string;
  display_time_zone: string;
  /** pending | done */
  status: string;
  done_at: string | null;
}

export interface DbInternalReport {
  id: string;
  /** NULL for an anonymous report. */
  reporter_id: string | null;
  category: string;
  /** Sealed by the vault (base64). */
  description_ct: string;
  /** open | investigating | closed */
  status: string;
  incident_id: string | null;
  /** For an anonymous report, truncated to the hour. */
  created_at: string;
}

export interface DbInternalReportNote {
  id: string;
  report_id: string;
  author_id: string;
  note_ct: string;
  at: string;
}

export interface DetectionTables {
  detection_rules: DbDetectionRule;
  incidents: DbIncident;
  incident_timeline: DbIncidentTimeline;
  incident_members: DbIncidentMember;
  incident_tasks: DbIncidentTask;
  incident_affected_clients: DbIncidentAffectedClient;
  notification_regimes: DbNotificationRegime;
  incident_duties: DbIncidentDuty;
  internal_reports: DbInternalReport;
  internal_report_notes: DbInternalReportNote;
}
