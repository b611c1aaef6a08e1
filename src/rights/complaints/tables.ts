/** Storage shapes of complaints (migration 0009). */

export interface DbComplaintCategory {
  code: string;
  sla_days: number;
}

export interface DbComplaint {
  id: string;
  /** portal | staff */
  channel: string;
  category: string;
  language: string;
  description_ct: string;
  email_ct: string | null;
  phone_ct: string | null;
  /** open | investigating | responded | closed */
  status: string;
  sla_due_at: string;
  incident_id: string | null;
  filed_by: string | null;
  response_ct: string | null;
  responded_at: string | null;
  responded_by: string | null;
  /** 1: the response was queued to the complainant's email. */
  response_sent: number;
  created_at: string;
  closed_at: string | null;
}

export interface DbComplaintNote {
  id: string;
  complaint_id: string;
  author_id: string;
  note_ct: string;
  at: string;
}

export interface ComplaintTables {
  complaint_categories: DbComplaintCategory;
  complaints: DbComplaint;
  complaint_notes: DbComplaintNote;
}
