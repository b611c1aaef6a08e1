/** Storage shapes of incident evidence files and client notice sends (migration 0011_incidents_…). */

export interface DbIncidentEvidence {
  id: string;
  incident_id: string;
  dek_version: number;
  kek_version: number;
  /** The file's own data key, wrapped by the KEK of kek_version (owner `incident_evidence:<id>`). */
  wrapped_key: Buffer;
  content_ct: Buffer;
  /** The original filename, sealed: it may name a person. */
  filename_ct: Buffer;
  media_type: string;
  size_bytes: number;
  /** Hex SHA-256 of the plaintext, for chain of custody; checked again on every download. */
  sha256: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface DbIncidentNoticeSend {
  id: string;
  incident_id: string;
  client_id: string;
  /** email */
  channel: string;
  language: string;
  /** The masked contact ("l***@example.cn"), sealed with the client's data key; null when none. */
  contact_masked_ct: Buffer | null;
  /** queued (handed to the email outbox) | not_sent */
  status: string;
  /** Why not sent: no_contact | client_erased. */
  reason: string | null;
  /** The email_outbox id: the delivery worker's state (sent, failed) is read from there. */
  message_id: string | null;
  sent_by: string;
  sent_at: string;
}

export interface IncidentEvidenceTables {
  incident_evidence: DbIncidentEvidence;
  incident_notice_sends: DbIncidentNoticeSend;
}
