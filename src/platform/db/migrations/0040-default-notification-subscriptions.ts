import type { Kysely, Migration } from "kysely";
import { applyDefaultSubscriptions } from "../../../response/notifications/default-subscriptions.js";

/**
 * 0040: notifications that work on day one (issue #15). A row per user and event kind records that
 * the role's default subscription was offered once, so a user who then unsubscribes is never
 * subscribed again (here, on a role change or by a later run). Existing users get their role's
 * defaults now; a subscription they already have is left as it is.
 */
export const name = "0040_default_notification_subscriptions";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("notification_defaults")
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("event_kind", "text", (c) => c.notNull())
      .addColumn("offered_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("notification_defaults_pk", ["user_id", "event_kind"])
      .execute();
    const now = new Date().toISOString();
    for (const user of await db.selectFrom("users").select(["id", "role"]).execute()) await applyDefaultSubscriptions(db, user, now);
  },
});
