/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

/** A de-identification profile's head: its code and the version in force. */
export interface DbDeidentificationProfile {
  code: string;
  current_version: number;
  /** 1 for a profile shipped with Custodia (seeded by migration 0029). */
  builtin: number;
  created_at: string;
  updated_at: string;
}

/** One version of a profile, never changed once written: a disclosure names the version it used. */
export interface DbDeidentificationProfileVersion {
  code: string;
  version: number;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  /** JSON: field → { rule, method? } (src/vault/deidentification/profile.ts). */
  rules: string;
  identifying: number;
  sealed: number;
  created_at: string;
  /** Null for the seeded version 1 of a built-in profile. */
  created_by: string | null;
}

export interface DisclosureProfileTables {
  deidentification_profiles: DbDeidentificationProfile;
  deidentification_profile_versions: DbDeidentificationProfileVersion;
}

/**
 * One disclosure (APR-2, VEN-3, migration 0030): who sent what to which partner, under which
 * purpose, legal basis and profile version, with the package's manifest and digests: never its data.
 */
export interface DbDisclosure {
  id: string;
  partner_id: string;
  requester_id: string;
  purpose: string;
  /** consent | contract | legal_duty | legal_claims (src/records/disclosures/disclosure.ts) */
  legal_basis: string;
  profile_code: string;
  profile_version: number;
  /** A ticket or file number; never free text. */
  reference: string | null;
  /** JSON: the package manifest (fields and their forms, counts, recordsSha256); no values. */
  manifest: string;
  json_sha256: string;
  csv_sha256: string | null;
  sealed_sha256: string | null;
  /** JSON array of the sharing rule's warnings (e.g. transfer_basis_unverified). */
  warnings: string;
  created_at: string;
}

/** One client of a disclosure: what the partner holds of it, and whether it came back or was deleted (RET-3). */
export interface DbDisclosureHolding {
  disclosure_id: string;
  client_id: string;
  /** The approval (disclose, four-eyes) and the grant it issued, used up by this disclosure. */
  approval_request_id: string;
  grant_id: string;
  /** JSON: [{ field, rule, method }] for the fields that left with a value for this client. */
  fields: string;
  /** The client's row key in the package (its pseudonym, or its id when the profile kept it); null when the package has none. */
  package_ref: string | null;
  /** held | return_requested | returned | deleted_confirmed */
  status: string;
  return_requested_at: string | null;
  /** Why the return was asked for: relationship_ended | client_destroyed | request */
  return_reason: string | null;
  confirmed_at: string | null;
  /** A ticket, letter or certificate number the partner gave; never free text. */
  confirmation_reference: string | null;
  confirmed_by: string | null;
}

/**
 * A client's consent to one recipient (PIPL Art 23, 29): per client, partner and purpose, append-only
 * like consent_records (the highest revision is the current state). Kept apart from consent_records
 * so a per-recipient consent never reads as consent to the purpose itself.
 */
export interface DbRecipientConsent {
  id: string;
  client_id: string;
  partner_id: string;
  purpose: string;
  revision: number;
  /** granted | withdrawn */
  status: string;
  /** signed_form | click | email_message | call_recording */
  ack_kind: string;
  ack_reference: string;
  given_at: string;
  recorded_at: string;
  recorded_by: string;
}

export interface DisclosureTables {
  disclosures: DbDisclosure;
  disclosure_holdings: DbDisclosureHolding;
  recipient_consents: DbRecipientConsent;
}
