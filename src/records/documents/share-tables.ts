/** Storage shapes of external shares (migration 0021), assembled in src/platform/db/schema.ts. */

/**
 * A document forwarded to someone outside the firm: a time-limited link (only its keyed MAC is
 * kept), a one-time code sent to the recipient, and the recipient register's facts. The
 * recipient's name, organisation and email are sealed with the client's data key, so erasing the
 * client shreds them with its files.
 */
export interface DbDocumentShare {
  id: string;
  document_id: string;
  /** The version shared, fixed when the share was made. */
  version: number;
  client_id: string;
  created_by: string;
  /** court | opposing_counsel | auditor | regulator | co_counsel | expert | other */
  recipient_kind: string;
  recipient_name_ct: Buffer;
  recipient_org_ct: Buffer | null;
  recipient_email_ct: Buffer;
  /** vault.mac of the normalised email: finds every share to one address without opening them. */
  recipient_email_mac: string;
  /** The purpose declared when sharing. */
  purpose: string;
  /** The forward_document grant the share was made under. */
  grant_id: string;
  expires_at: string;
  max_downloads: number;
  downloads: number;
  /** vault.mac("document-share-link", secret): the link itself is shown once and never stored. */
  link_mac: string;
  /** The current one-time code's MAC; null once used, or before the share is confirmed. */
  code_mac: string | null;
  code_sent_at: string | null;
  code_expires_at: string | null;
  /** Wrong codes in a row: the link locks at the limit. */
  code_attempts: number;
  /** pending (an L4 share awaiting its second person) | active | revoked | exhausted | locked; "expired" is read from expires_at. */
  status: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  revoked_by: string | null;
  revoked_at: string | null;
  created_at: string;
}

/** One use of a share link by whoever holds it: never the address in clear, only its keyed MAC. */
export interface DbDocumentShareAccess {
  id: string;
  share_id: string;
  at: string;
  /** opened | code_sent | downloaded | code_wrong | refused */
  outcome: string;
  address_mac: string;
}

export interface ShareTables {
  document_shares: DbDocumentShare;
  document_share_accesses: DbDocumentShareAccess;
}
