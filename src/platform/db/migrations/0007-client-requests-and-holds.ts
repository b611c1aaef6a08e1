import type { BinaryType } from "./index.js";
import { sql, type Kysely, type Migration } from "kysely";

/**
 * 0007: client rights requests (DSR-1..3) and legal holds (issue #4). Deadlines are data: the
 * regimes below are editable rows, and the ones whose figures are not settled ship with
 * `verified = 0` so the administrator sees them as UNVERIFIED defaults. Request rows hold blind
 * indexes and sealed values only, never an identifier or a code in clear.
 */
export const name = "0007_client_requests_and_holds";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("request_regimes")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      // working_days | calendar_days | months
      .addColumn("unit", "text", (c) => c.notNull())
      .addColumn("amount", "integer", (c) => c.notNull())
      .addColumn("extension_unit", "text")
      .addColumn("extension_amount", "integer")
      .addColumn("reminder_days", "integer", (c) => c.notNull())
      .addColumn("verified", "integer", (c) => c.notNull())
      .addColumn("source", "text", (c) => c.notNull())
      .execute();
    await db
      .insertInto("request_regimes")
      .values([
        {
          code: "pipl",
          name_zh: "个人信息保护法（15个工作日，待核实）",
          name_en: "PIPL (15 working days, UNVERIFIED)",
          unit: "working_days",
          amount: 15,
          extension_unit: null,
          extension_amount: null,
          reminder_days: 3,
          verified: 0,
          source: "PIPL Art. 50 fixes no number of days; 15 working days is a common firm promise.",
        },
        {
          code: "gbt35273_30d",
          name_zh: "GB/T 35273-2020（30天，待核实）",
          name_en: "GB/T 35273-2020 (30 days, UNVERIFIED)",
          unit: "calendar_days",
          amount: 30,
          extension_unit: null,
          extension_amount: null,
          reminder_days: 5,
          verified: 0,
          source: "GB/T 35273-2020 §8.7; the day count is often cited as 30 days.",
        },
        {
          code: "gdpr",
          name_zh: "GDPR 第12条第3款（一个月，可延长两个月）",
          name_en: "GDPR Art. 12(3) (one month, extendable by two)",
          unit: "months",
          amount: 1,
          extension_unit: "months",
          extension_amount: 2,
          reminder_days: 5,
          verified: 1,
          source: "GDPR Art. 12(3).",
        },
      ])
      .execute();

    // Public holidays and make-up working days (调休) for working-day regimes: empty by default.
    await db.schema
      .createTable("request_calendar_days")
      .addColumn("date", "text", (c) => c.primaryKey())
      // holiday | workday
      .addColumn("kind", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("firm_settings")
      .ifNotExists()
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("value", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    const now = new Date().toISOString();
    await db
      .insertInto("firm_settings")
      .values([
        { key: "requests.default_regime", value: "pipl", updated_at: now },
        // roles | names: who the access history names (PIPL Art. 45).
        { key: "requests.access_history_actors", value: "roles", updated_at: now },
        { key: "requests.timezone", value: "Asia/Shanghai", updated_at: now },
      ])
      .execute();

    await db.schema
      .createTable("client_requests")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("regime", "text", (c) => c.notNull().references("request_regimes.code"))
      .addColumn("language", "text", (c) => c.notNull())
      // Null when no client (or more than one) matched: the requester is never told which.
      .addColumn("client_id", "text", (c) => c.references("clients.id"))
      // none | one | ambiguous
      .addColumn("match", "text", (c) => c.notNull())
      .addColumn("id_type", "text")
      .addColumn("id_number_bidx", "text")
      .addColumn("phone_bidx", "text")
      .addColumn("email_bidx", "text")
      .addColumn("code_channel", "text")
      .addColumn("code_hash", "text")
      .addColumn("code_expires_at", "text")
      .addColumn("code_attempts", "integer", (c) => c.notNull())
      .addColumn("code_used_at", "text")
      .addColumn("token_hash", "text")
      .addColumn("token_expires_at", "text")
      .addColumn("verified_at", "text")
      .addColumn("verified_by", "text")
      .addColumn("verification_method", "text")
      .addColumn("verification_evidence", "text")
      // Correction values or the purpose to withdraw, sealed by the vault; cleared once answered.
      .addColumn("details_ct", sql.raw(bin))
      .addColumn("received_at", "text", (c) => c.notNull())
      .addColumn("received_date", "text", (c) => c.notNull())
      .addColumn("due_date", "text", (c) => c.notNull())
      .addColumn("extended_due_date", "text")
      .addColumn("extension_reason", "text")
      .addColumn("owner_id", "text", (c) => c.references("users.id"))
      .addColumn("outcome", "text")
      .addColumn("outcome_details", "text")
      .addColumn("closed_at", "text")
      .addColumn("updated_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("client_requests_status_due").on("client_requests").columns(["status", "due_date"]).execute();
    await db.schema.createIndex("client_requests_client").on("client_requests").column("client_id").execute();

    await db.schema
      .createTable("client_request_history")
      .addColumn("request_id", "text", (c) => c.notNull().references("client_requests.id"))
      .addColumn("seq", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("actor_id", "text")
      .addColumn("reason", "text")
      .addPrimaryKeyConstraint("client_request_history_pk", ["request_id", "seq"])
      .execute();

    // Fixed-window counters for the public intake: `ip:<keyed hash>` and `id:<blind index>`.
    await db.schema
      .createTable("portal_throttles")
      .addColumn("key", "text", (c) => c.primaryKey())
      .addColumn("window_start", "text", (c) => c.notNull())
      .addColumn("count", "integer", (c) => c.notNull())
      .execute();
    // Spent proof-of-work challenges, so one solution cannot be replayed.
    await db.schema
      .createTable("portal_proofs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("request_notifications")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull())
      .addColumn("matter_id", "text")
      .addColumn("request_id", "text")
      // Field names only.
      .addColumn("details", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("read_at", "text")
      .execute();
    await db.schema.createIndex("request_notifications_user").on("request_notifications").columns(["user_id", "created_at"]).execute();

    await db.schema
      .createTable("processing_restrictions")
      .addColumn("client_id", "text", (c) => c.primaryKey().references("clients.id"))
      .addColumn("request_id", "text")
      .addColumn("restricted_at", "text", (c) => c.notNull())
      .addColumn("restricted_by", "text", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("legal_holds")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("custodian_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("reason", "text", (c) => c.notNull())
      .addColumn("reference", "text")
      .addColumn("review_date", "text", (c) => c.notNull())
      .addColumn("placed_by", "text", (c) => c.notNull())
      .addColumn("placed_at", "text", (c) => c.notNull())
      .addColumn("lifted_at", "text")
      .addColumn("lifted_by", "text")
      .addColumn("lift_reason", "text")
      .execute();
    await db.schema.createIndex("legal_holds_client").on("legal_holds").columns(["client_id", "lifted_at"]).execute();

    // A restricted record may be used only to establish, exercise or defend legal claims (PIPL Art. 47).
    await db
      .insertInto("purposes")
      .values({
        code: "legal-claims",
        name_zh: "法律主张处理",
        name_en: "Legal claims",
        description_en: "Establishing, exercising or defending legal claims; the only use left to a restricted record.",
        active: 1,
        legal_basis: "legal_duty",
        requires_separate_consent_for_sensitive: 0,
      })
      .execute();
  },
});
