/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbMatter {
  id: string;
  client_id: string;
  /** e.g. 2026-民-0001; unique. */
  number: string;
  /** Sealed with the client's data key (table "matters", field "title"); null once shredded. */
  title_ct: Buffer | null;
  practice_area: string;
  /** open | closed */
  status: string;
  responsible_partner_id: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
}

export interface DbMatterMember {
  matter_id: string;
  user_id: string;
  /** lead | member | observer */
  role: string;
  added_at: string;
}

export interface MatterTables {
  matters: DbMatter;
  matter_members: DbMatterMember;
}
