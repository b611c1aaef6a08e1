import { type Kysely, type Migration, sql } from "kysely";
import type { BinaryType } from "./index.js";

const COLUMNS = sql.raw(
  `"seq", "id", "at", "actor_id", "actor_role", "action", "target_type", "target_id", "purpose", "outcome", "reason", "request_id", "details", "prev_hash", "hash", "position"`,
);

/**
 * 0041 (SQLite only): `audit_events.seq` becomes the table's rowid. Declared `bigint primary key`,
 * it was a separate unique index beside a hidden rowid: every event paid one more index insert,
 * and reading the log in order (verification, the sequencer) went through that index and back to
 * the table for each row. `integer primary key` makes the arrival number the row's own key. SQLite
 * cannot change a primary key in place, so the table is copied in one transaction, unchanged
 * otherwise, with the same indexes. PostgreSQL's bigint primary key is already the table's key.
 */
export const name = "0041_audit_seq_rowid";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    if (bin !== "blob") return;
    await db.transaction().execute(async (tx) => {
      await sql`create table "audit_events_rebuilt" (
        "seq" integer primary key, "id" text not null unique, "at" text not null, "actor_id" text,
        "actor_role" text, "action" text not null, "target_type" text, "target_id" text,
        "purpose" text, "outcome" text not null, "reason" text, "request_id" text, "details" text,
        "prev_hash" text not null, "hash" text not null, "position" bigint)`.execute(tx);
      await sql`insert into "audit_events_rebuilt" (${COLUMNS}) select ${COLUMNS} from "audit_events" order by "seq"`.execute(tx);
      await sql`drop table "audit_events"`.execute(tx);
      await sql`alter table "audit_events_rebuilt" rename to "audit_events"`.execute(tx);
      const index = (name: string) => tx.schema.createIndex(name).on("audit_events");
      await index("audit_events_target").columns(["target_id", "seq"]).execute();
      await index("audit_events_actor").columns(["actor_id", "seq"]).execute();
      await index("audit_events_actor_at").columns(["actor_id", "at"]).execute();
      await index("audit_events_action_at").columns(["action", "at"]).execute();
      await index("audit_events_position").column("position").unique().execute();
      await index("audit_events_pending").column("seq").where(sql.ref("position"), "is", null).execute();
    });
  },
});
