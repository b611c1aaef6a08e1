import type { Db } from "../../platform/db/engine.js";

export interface Purpose {
  code: string;
  nameZh: string;
  nameEn: string;
  description: string;
  /** PIPL Art. 13 basis, a code from LEGAL_BASES (src/rights/consent/legal-basis.ts). */
  legalBasis: string;
}

/** The registered purposes (IAM-5), cached briefly: every read checks against them. */
export class PurposeRegistry {
  #codes: ReadonlySet<string> | null = null;
  #loadedAt = 0;
  static readonly TTL_MS = 30_000;

  constructor(private readonly db: Db) {}

  /**
   * Pass the surrounding transaction when there is one: SQLite has a single connection, and a
   * query outside the open transaction would wait for it forever.
   */
  async list(executor: Db = this.db): Promise<Purpose[]> {
    const rows = await executor.selectFrom("purposes").selectAll().where("active", "=", 1).orderBy("code").execute();
    return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, description: r.description_en, legalBasis: r.legal_basis }));
  }

  async codes(executor: Db = this.db): Promise<ReadonlySet<string>> {
    if (!this.#codes || Date.now() - this.#loadedAt > PurposeRegistry.TTL_MS) {
      this.#codes = new Set((await this.list(executor)).map((p) => p.code));
      this.#loadedAt = Date.now();
    }
    return this.#codes;
  }
}
