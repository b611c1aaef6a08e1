/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbConsentRecord {
  id: string;
  client_id: string;
  purpose: string;
  /** 1, 2, … per client and purpose; the highest is the current state. */
  revision: number;
  /** granted | withdrawn */
  status: string;
  /** 1: a separate consent (PIPL Art. 23, 29). */
  separate: number;
  channel: string;
  notice_version: number | null;
  notice_hash: string | null;
  notice_language: string | null;
  /** signed_form | click | email | recording: what ack_reference points at; never free text. */
  ack_kind: string;
  ack_reference: string;
  given_at: string;
  recorded_at: string;
  recorded_by: string;
}

export interface ConsentTables {
  consent_records: DbConsentRecord;
}
