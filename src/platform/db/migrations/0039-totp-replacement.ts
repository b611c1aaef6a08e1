import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0039: replacing an enrolled authenticator (issue #15, account security). The new seed waits,
 * sealed, beside the current one until a code from it confirms the switch, so the old app keeps
 * working until then and an abandoned replacement changes nothing.
 */
export const name = "0039_totp_replacement";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable("totp_enrolments").addColumn("pending_secret_ct", sql.raw(bin)).execute();
    await db.schema.alterTable("totp_enrolments").addColumn("pending_at", "text").execute();
  },
});
