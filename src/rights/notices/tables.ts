/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbPrivacyNotice {
  version: number;
  /** draft | published; a published row never changes. */
  status: string;
  effective_from: string;
  title_zh: string;
  title_en: string;
  body_zh: string;
  body_en: string;
  /** SHA-256 of the canonical content, set at publication. */
  content_hash: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  published_at: string | null;
  published_by: string | null;
}

export interface NoticeTables {
  privacy_notices: DbPrivacyNotice;
}
