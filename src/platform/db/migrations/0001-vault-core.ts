import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/** 0001: the vault core: key versions, clients, purposes, staff, tokens and the audit chain. */
const SEED_PURPOSES = [
  ["case-handling", "案件办理", "Case handling", "Work on the client's matters."],
  ["conflict-check", "利益冲突审查", "Conflict check", "Checking for conflicts of interest before an engagement."],
  ["billing", "计费结算", "Billing", "Invoicing and collecting fees."],
  ["client-service", "客户服务", "Client service", "Answering the client's own enquiries and requests."],
  ["compliance-audit", "合规审计", "Compliance audit", "Internal or external compliance review of data use."],
  ["marketing", "市场营销", "Marketing", "Newsletters and events; needs the client's consent."],
] as const;

export const name = "0001_vault_core";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("key_versions")
      .addColumn("version", "integer", (c) => c.primaryKey())
      .addColumn("wrapped_key", sql.raw(bin), (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("retired_at", "text")
      .execute();

    await db.schema
      .createTable("clients")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("id_type", "text")
      .addColumn("purposes", "text", (c) => c.notNull())
      .addColumn("name_ct", sql.raw(bin))
      .addColumn("id_number_ct", sql.raw(bin))
      .addColumn("phone_ct", sql.raw(bin))
      .addColumn("email_ct", sql.raw(bin))
      .addColumn("address_ct", sql.raw(bin))
      .addColumn("birth_date_ct", sql.raw(bin))
      .addColumn("notes_ct", sql.raw(bin))
      .addColumn("name_bidx", "text")
      .addColumn("id_number_bidx", "text")
      .addColumn("phone_bidx", "text")
      .addColumn("email_bidx", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("row_version", "integer", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("erased_at", "text")
      .execute();
    for (const field of ["name", "id_number", "phone", "email"]) {
      await db.schema.createIndex(`clients_${field}_bidx`).on("clients").column(`${field}_bidx`).execute();
    }

    await db.schema
      .createTable("data_keys")
      .addColumn("client_id", "text", (c) => c.primaryKey().references("clients.id"))
      .addColumn("dek_version", "integer", (c) => c.notNull())
      .addColumn("kek_version", "integer", (c) => c.notNull().references("key_versions.version"))
      .addColumn("wrapped_key", sql.raw(bin))
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("destroyed_at", "text")
      .execute();
    await db.schema.createIndex("data_keys_kek_version").on("data_keys").column("kek_version").execute();

    await db.schema
      .createTable("purposes")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("name_zh", "text", (c) => c.notNull())
      .addColumn("name_en", "text", (c) => c.notNull())
      .addColumn("description_en", "text", (c) => c.notNull())
      .addColumn("active", "integer", (c) => c.notNull())
      .execute();
    await db
      .insertInto("purposes")
      .values(SEED_PURPOSES.map(([code, zh, en, d]) => ({ code, name_zh: zh, name_en: en, description_en: d, active: 1 })))
      .execute();

    await db.schema
      .createTable("users")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("email", "text", (c) => c.notNull().unique())
      .addColumn("display_name", "text", (c) => c.notNull())
      .addColumn("role", "text", (c) => c.notNull())
      .addColumn("password_hash", "text")
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("disabled_at", "text")
      .execute();

    await db.schema
      .createTable("api_tokens")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("name", "text", (c) => c.notNull())
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text")
      .addColumn("revoked_at", "text")
      .execute();

    await db.schema
      .createTable("audit_events")
      .addColumn("seq", "bigint", (c) => c.primaryKey())
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("at", "text", (c) => c.notNull())
      .addColumn("actor_id", "text")
      .addColumn("actor_role", "text")
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("target_type", "text")
      .addColumn("target_id", "text")
      .addColumn("purpose", "text")
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("reason", "text")
      .addColumn("request_id", "text")
      .addColumn("details", "text")
      .addColumn("prev_hash", "text", (c) => c.notNull())
      .addColumn("hash", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("audit_events_target").on("audit_events").columns(["target_id", "seq"]).execute();
    await db.schema.createIndex("audit_events_actor").on("audit_events").columns(["actor_id", "seq"]).execute();

    await db.schema
      .createTable("audit_checkpoints")
      .addColumn("seq", "bigint", (c) => c.primaryKey())
      .addColumn("head_hash", "text", (c) => c.notNull())
      .addColumn("signed_at", "text", (c) => c.notNull())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("signature", "text", (c) => c.notNull())
      .execute();
  },
});
