import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from "kysely";
import type { Engine } from "./engine.js";
import { noticesAndConsentMigration } from "./notices-and-consent-migration.js";
import { approvalsAndGrantsMigration } from "./approvals-and-grants-migration.js";
import { clientRequestsAndHoldsMigration } from "./client-requests-and-holds-migration.js";
import { detectionAndIncidentsMigration } from "./detection-and-incidents-migration.js";
import { retentionAndBackupsMigration } from "./retention-and-backups-migration.js";
import { notificationsAndComplaintsMigration } from "./notifications-and-complaints-migration.js";
import { rightsMigration } from "./rights-migration.js";
import { accessReviewsMigration } from "./access-reviews-migration.js";
import { passkeysMigration } from "./passkeys-migration.js";
import { incidentsEvidenceMigration } from "./incidents-evidence-migration.js";
import { staffCalendarsMigration } from "./staff-calendars-migration.js";

type Bin = "blob" | "bytea";

const SEED_PURPOSES = [
  ["case-handling", "案件办理", "Case handling", "Work on the client's matters."],
  ["conflict-check", "利益冲突审查", "Conflict check", "Checking for conflicts of interest before an engagement."],
  ["billing", "计费结算", "Billing", "Invoicing and collecting fees."],
  ["client-service", "客户服务", "Client service", "Answering the client's own enquiries and requests."],
  ["compliance-audit", "合规审计", "Compliance audit", "Internal or external compliance review of data use."],
  ["marketing", "市场营销", "Marketing", "Newsletters and events; needs the client's consent."],
] as const;

/** Versioned migrations. They take the engine's binary type so one text serves both dialects. */
function migrations(bin: Bin): Record<string, Migration> {
  return {
    "0001_vault_core": {
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
    },
    "0002_staff_sign_in": {
      async up(db: Kysely<any>) {
        // Only the SHA-256 of a session's secret is stored; the cookie holds `id.secret`.
        await db.schema
          .createTable("sessions")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("secret_hash", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("last_seen_at", "text", (c) => c.notNull())
          .addColumn("idle_expires_at", "text", (c) => c.notNull())
          .addColumn("absolute_expires_at", "text", (c) => c.notNull())
          .addColumn("revoked_at", "text")
          .addColumn("user_agent", "text")
          .addColumn("ip", "text")
          .execute();
        await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

        // The TOTP seed is sealed by the vault; last_step refuses a replayed code.
        await db.schema
          .createTable("totp_enrolments")
          .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
          .addColumn("secret_ct", sql.raw(bin), (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("confirmed_at", "text")
          .addColumn("last_step", "bigint")
          .execute();

        await db.schema
          .createTable("recovery_codes")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
          .addColumn("code_hash", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("used_at", "text")
          .execute();
        await db.schema.createIndex("recovery_codes_user").on("recovery_codes").column("user_id").execute();

        // One row per throttled subject: `account:<sha256 of email>` or `ip:<address>`.
        await db.schema
          .createTable("sign_in_throttles")
          .addColumn("key", "text", (c) => c.primaryKey())
          .addColumn("failures", "integer", (c) => c.notNull())
          .addColumn("lockouts", "integer", (c) => c.notNull())
          .addColumn("locked_until", "text")
          .addColumn("updated_at", "text", (c) => c.notNull())
          .execute();
      },
    },
    "0003_matters_and_walls": {
      async up(db: Kysely<any>) {
        // Who created a client: the creator may read it until it has a matter (need-to-know).
        await db.schema.alterTable("clients").addColumn("created_by", "text").execute();

        // The title often names the parties: sealed with the client's data key, so erasing the
        // client crypto-shreds its matter titles too.
        await db.schema
          .createTable("matters")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
          .addColumn("number", "text", (c) => c.notNull().unique())
          .addColumn("title_ct", sql.raw(bin))
          .addColumn("practice_area", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .addColumn("responsible_partner_id", "text", (c) => c.notNull().references("users.id"))
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("closed_at", "text")
          .execute();
        await db.schema.createIndex("matters_client").on("matters").column("client_id").execute();

        await db.schema
          .createTable("matter_members")
          .addColumn("matter_id", "text", (c) => c.notNull().references("matters.id"))
          .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
          .addColumn("role", "text", (c) => c.notNull())
          .addColumn("added_at", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("matter_members_pk", ["matter_id", "user_id"])
          .execute();
        await db.schema.createIndex("matter_members_user").on("matter_members").columns(["user_id", "matter_id"]).execute();

        // Reasons are codes and references ticket numbers: no free text, so no party names in clear.
        await db.schema
          .createTable("ethical_walls")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("reason", "text", (c) => c.notNull())
          .addColumn("reference", "text")
          .addColumn("owner_id", "text", (c) => c.notNull().references("users.id"))
          .addColumn("created_by", "text", (c) => c.notNull())
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("lifted_at", "text")
          .execute();

        await db.schema
          .createTable("wall_subjects")
          .addColumn("wall_id", "text", (c) => c.notNull().references("ethical_walls.id"))
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("subject_id", "text", (c) => c.notNull())
          .addPrimaryKeyConstraint("wall_subjects_pk", ["wall_id", "kind", "subject_id"])
          .execute();
        await db.schema.createIndex("wall_subjects_subject").on("wall_subjects").columns(["subject_id", "wall_id"]).execute();

        await db.schema
          .createTable("wall_screened_users")
          .addColumn("wall_id", "text", (c) => c.notNull().references("ethical_walls.id"))
          .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
          .addPrimaryKeyConstraint("wall_screened_users_pk", ["wall_id", "user_id"])
          .execute();
        await db.schema.createIndex("wall_screened_users_user").on("wall_screened_users").columns(["user_id", "wall_id"]).execute();

        // Ids and codes only: an alert never holds personal data.
        await db.schema
          .createTable("alerts")
          .addColumn("id", "text", (c) => c.primaryKey())
          .addColumn("kind", "text", (c) => c.notNull())
          .addColumn("user_id", "text")
          .addColumn("wall_id", "text")
          .addColumn("event_seq", "bigint")
          .addColumn("created_at", "text", (c) => c.notNull())
          .addColumn("status", "text", (c) => c.notNull())
          .execute();
        await db.schema.createIndex("alerts_status").on("alerts").columns(["status", "created_at"]).execute();
      },
    },
    "0004_notices_and_consent": noticesAndConsentMigration,
    "0005_approvals_and_grants": approvalsAndGrantsMigration,
    "0006_detection_and_incidents": detectionAndIncidentsMigration,
    "0007_client_requests_and_holds": clientRequestsAndHoldsMigration(bin),
    "0008_retention_and_backups": retentionAndBackupsMigration,
    "0009_notifications_and_complaints": notificationsAndComplaintsMigration,
    "0010_rights_restriction_lifts_regimes_reminders": rightsMigration,
    "0010_access_reviews": accessReviewsMigration,
    "0010_passkeys_webauthn": passkeysMigration,
    "0011_incidents_evidence_and_notice_sends": incidentsEvidenceMigration(bin),
    "0012_calendars_staff_working_calendars": staffCalendarsMigration,
  };
}

class InlineProvider implements MigrationProvider {
  constructor(private readonly bin: Bin) {}
  async getMigrations() {
    return migrations(this.bin);
  }
}

/** Applies pending migrations; Kysely's migrator locks, so concurrent servers are safe. */
export async function migrateToLatest(engine: Engine): Promise<string[]> {
  const migrator = new Migrator({
    db: engine.db,
    provider: new InlineProvider(engine.binaryType),
    ...(engine.migrationSchema ? { migrationTableSchema: engine.migrationSchema } : {}),
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    // Kysely's PostgreSQL introspector checks has_schema_privilege() on every schema of the
    // database, so another schema dropped at that moment fails with 3F000 (invalid_schema_name)
    // although ours is fine. Nothing was migrated yet: try again.
    if (error && (error as { code?: unknown }).code === "3F000" && attempt < 5) {
      await new Promise((r) => setTimeout(r, 50 * attempt));
      continue;
    }
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
  }
}
