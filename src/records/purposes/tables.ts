/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

export interface DbPurpose {
  code: string;
  name_zh: string;
  name_en: string;
  description_en: string;
  active: number;
  /** PIPL Art. 13 basis, a code from LEGAL_BASES (src/rights/consent/legal-basis.ts). */
  legal_basis: string;
  /** 1: L4 fields need a separate consent under this purpose even when its basis is not consent. */
  requires_separate_consent_for_sensitive: number;
}

export interface PurposeTables {
  purposes: DbPurpose;
}
