/** Storage shapes of paper files (migration 0032, issue #14). Dates are YYYY-MM-DD, instants ISO. */

/** The archive as a tree: rooms hold cabinets, cabinets hold shelves. */
export interface DbPaperLocation {
  id: string;
  parent_id: string | null;
  /** room | cabinet | shelf */
  kind: string;
  /** Unique, e.g. A (room), A-03 (cabinet), A-03-2 (shelf). */
  code: string;
  /** A place name such as 档案室一: no personal data. */
  label: string;
  created_by: string;
  created_at: string;
}

export interface DbPaperFile {
  id: string;
  /** The label code, PF-XXXXXXX (label-code.ts); unique. */
  code: string;
  client_id: string;
  matter_id: string | null;
  /** What a label shows: the matter number or an internal reference, never the client's name. */
  reference: string;
  /** Sealed with the client's data key (table paper_files, field title): titles can carry names. */
  title_ct: Buffer | null;
  /** Sensitivity level 1–4. */
  level: number;
  home_location_id: string;
  /** active | destroyed */
  status: string;
  created_by: string;
  created_at: string;
  destruction_id: string | null;
}

export interface DbPaperCheckout {
  id: string;
  file_id: string;
  borrower_id: string;
  /** A purpose code from the purpose registry. */
  purpose: string;
  due_on: string;
  /** pending (an L3+ file waiting for its approver) | out | returned | rejected */
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  checked_out_at: string | null;
  returned_at: string | null;
  returned_to: string | null;
}

export interface DbPaperCopy {
  id: string;
  file_id: string;
  made_by: string;
  copies: number;
  /** A purpose code from the purpose registry. */
  purpose: string;
  /** pending (L3+) | approved | rejected */
  status: string;
  recorded_by: string;
  recorded_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface DbPaperStocktake {
  id: string;
  /** A room, or null for the whole archive. */
  location_id: string | null;
  /** open | closed */
  status: string;
  opened_by: string;
  opened_at: string;
  closed_by: string | null;
  closed_at: string | null;
  /** JSON: the report (file ids, codes and location ids only), written at closing. */
  report: string | null;
}

export interface DbPaperStocktakeScan {
  id: string;
  stocktake_id: string;
  /** Canonical label code. */
  code: string;
  /** Where it was scanned (a room or shelf), when the scanner said. */
  location_id: string | null;
  scanned_by: string;
  scanned_at: string;
}

export interface DbPaperDestruction {
  id: string;
  /** shredding | incineration | outsourced */
  method: string;
  destroyed_on: string;
  /** JSON: staff ids of the witnesses. */
  witnesses: string;
  /** JSON: the file ids destroyed. */
  file_ids: string;
  recorded_by: string;
  recorded_at: string;
}

export interface DbPaperControlCheck {
  id: string;
  room_id: string;
  /** access_control | cctv */
  kind: string;
  checked_on: string;
  checked_by: string;
  /** pass | issues | fail */
  result: string;
  /** Sealed with the firm-level key (sealed-text.ts): notes may name people. */
  notes_ct: string | null;
  created_at: string;
}

export interface PaperTables {
  paper_locations: DbPaperLocation;
  paper_files: DbPaperFile;
  paper_checkouts: DbPaperCheckout;
  paper_copies: DbPaperCopy;
  paper_stocktakes: DbPaperStocktake;
  paper_stocktake_scans: DbPaperStocktakeScan;
  paper_destructions: DbPaperDestruction;
  paper_control_checks: DbPaperControlCheck;
}
