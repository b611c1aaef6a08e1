import type { Kysely, Migration } from "kysely";

/**
 * 0038: the distinct-target rules' running count (issue #12). One row per actor, action and target
 * holds the last time the actor reached that target, so "how many distinct clients in the window"
 * reads at most one row per target instead of every event of the window. Ids only.
 */
export const name = "0038_detection_target_marks";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("detection_target_marks")
      .addColumn("actor_id", "text", (c) => c.notNull())
      .addColumn("action", "text", (c) => c.notNull())
      .addColumn("target_id", "text", (c) => c.notNull())
      .addColumn("last_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("detection_target_marks_pk", ["actor_id", "action", "target_id"])
      .execute();
    // The window count reads one actor's marks from the window's start on.
    await db.schema.createIndex("detection_target_marks_window").on("detection_target_marks").columns(["actor_id", "last_at"]).execute();
    // The sweep deletes marks older than the longest window.
    await db.schema.createIndex("detection_target_marks_age").on("detection_target_marks").column("last_at").execute();
  },
});
