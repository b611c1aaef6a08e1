/** Storage shape of the privacy team (migration 0033). */

export interface DbPrivacyRole {
  id: string;
  /** privacy_officer | response_team_member | archive_keeper | security_officer | training_coordinator */
  code: string;
  holder_id: string;
  /** JSON array of staff ids who stand in for the holder. */
  deputy_ids: string;
  duties_zh: string;
  duties_en: string;
  /** A role mailbox and phone published to clients (CON-4): contact data of the role, never a person's own. */
  contact_email: string | null;
  contact_phone: string | null;
  created_at: string;
  updated_at: string;
  updated_by: string;
}

export interface PrivacyTeamTables {
  privacy_roles: DbPrivacyRole;
}
