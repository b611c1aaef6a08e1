/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

/** A client document: sealed title and filename, the file key wrapped by the client's data key. */
export interface DbDocument {
  id: string;
  client_id: string;
  matter_id: string | null;
  category: string;
  level: number;
  title_ct: Buffer | null;
  filename_ct: Buffer | null;
  /** Null once the document was destroyed or its client erased. */
  wrapped_file_key: Buffer | null;
  current_version: number;
  /** A redacted copy: the document and version it was made from. */
  derived_from: string | null;
  derived_version: number | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  checked_out_by: string | null;
  checked_out_at: string | null;
  destroyed_at: string | null;
  destroyed_reason: string | null;
}

/** One uploaded version: its ciphertext's blob key, and what the scan found (sealed). */
export interface DbDocumentVersion {
  document_id: string;
  version: number;
  blob_key: string;
  /** bigint: a string from PostgreSQL, a number from SQLite; read it through Number(). */
  size_bytes: number | string;
  media_type: string;
  /** vault.mac of the plaintext: finds the version of a leaked byte-identical copy, and is no dictionary oracle. */
  content_mac: string;
  scan_status: string;
  findings_ct: Buffer | null;
  detected_level: number | null;
  uploaded_by: string;
  uploaded_at: string;
  /** When the blob of a destroyed document's version left the store (migration 0022); absent on insert. */
  blob_purged_at?: string | null;
}

/** A copy handed out (download or share), with the fingerprint it carries: the leak-tracing register. */
export interface DbDocumentCopy {
  id: string;
  document_id: string;
  version: number;
  fingerprint: string;
  kind: string;
  user_id: string | null;
  share_id: string | null;
  watermarked: number;
  request_id: string | null;
  created_at: string;
}

export interface DocumentTables {
  documents: DbDocument;
  document_versions: DbDocumentVersion;
  document_copies: DbDocumentCopy;
}
