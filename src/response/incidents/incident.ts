/** Incident vocabulary (INC-1..3): codes only, labels live in the translation tables. */
// partner_notice: a partner's breach notice (src/response/incidents/partner-notice.ts), linked to the partner incident.
export const INCIDENT_SOURCES = ["alert", "staff_report", "client_complaint", "partner", "regulator", "partner_notice"] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const INCIDENT_CATEGORIES = ["unauthorised_access", "loss", "disclosure", "ransomware", "paper_file_loss", "other"] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** The status timeline; an incident only moves forward (steps may be skipped). */
export const INCIDENT_STATUSES = ["open", "contained", "investigating", "notifying", "closed"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const RESPONSE_ROLES = ["lead", "investigator", "legal", "it", "communications"] as const;
export type ResponseRole = (typeof RESPONSE_ROLES)[number];

export const canMoveTo = (from: IncidentStatus, to: IncidentStatus): boolean => INCIDENT_STATUSES.indexOf(to) > INCIDENT_STATUSES.indexOf(from);
