import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * Staff working calendars: each user's own time zone, weekly hours and dated exceptions (leave days,
 * extra working days), which the off-hours detection rule judges that user's access by. Staff
 * schedule data, not client personal data: stored in plain text (JSON columns, validated on write).
 */
// Recorded as "0012_calendars_staff_working_calendars" in databases migrated before the migrations got one file each: the name stays.
export const name = "0012_calendars_staff_working_calendars";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("staff_calendars")
      .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id"))
      .addColumn("time_zone", "text", (c) => c.notNull())
      .addColumn("hours", "text", (c) => c.notNull())
      .addColumn("exceptions", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text", (c) => c.notNull())
      .execute();
  },
});
