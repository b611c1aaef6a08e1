import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * Passkeys: WebAuthn credentials as a second factor, and the one-time challenges of the ceremonies
 * in progress. A credential row holds only what verification needs (id, public key, counter,
 * transports) plus the owner's label and two dates; public keys are not secret, so stored as text.
 */
// Recorded as "0010_passkeys_webauthn" in databases migrated before the migrations got one file each: the name stays.
export const name = "0010_passkeys_webauthn";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("passkeys")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("credential_id", "text", (c) => c.notNull().unique())
      .addColumn("public_key", "text", (c) => c.notNull())
      .addColumn("counter", "bigint", (c) => c.notNull())
      .addColumn("transports", "text", (c) => c.notNull())
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("last_used_at", "text")
      .execute();
    await db.schema.createIndex("passkeys_user").on("passkeys").column("user_id").execute();

    // At most one open challenge per session and ceremony; spent (deleted) by the first verify.
    await db.schema
      .createTable("webauthn_challenges")
      .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id"))
      .addColumn("ceremony", "text", (c) => c.notNull())
      .addColumn("challenge", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("webauthn_challenges_pk", ["session_id", "ceremony"])
      .execute();
    await db.schema.createIndex("webauthn_challenges_expiry").on("webauthn_challenges").column("expires_at").execute();
  },
});
