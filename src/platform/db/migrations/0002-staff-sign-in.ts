import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/** 0002: staff sign-in: sessions, second factors, lockout. */
export const name = "0002_staff_sign_in";

export const migration = (bin: BinaryType): Migration => ({
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
});
