import { type Kysely, type Migration, sql } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0027: the audit sequencer (issue #12). A request now only inserts its event, numbered by arrival
 * (`seq`), with no lock held; the sequencer later gives it its place in the log (`position`, the
 * Merkle leaf index + 1) and its chain hash. An event whose position is null is pending. Events
 * written before this migration were chained at insert, so their position is their seq.
 * On PostgreSQL arrival numbers come from a sequence, so servers never wait on each other for one.
 * Witnesses' cosignatures of the checkpoints (C2SP tlog-witness) are kept per witness and size.
 */
export const name = "0027_audit_sequencer";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable("audit_events").addColumn("position", "bigint").execute();
    await db.updateTable("audit_events").set({ position: sql`seq` }).execute();
    await db.schema.createIndex("audit_events_position").on("audit_events").column("position").unique().execute();
    // What the sequencer picks up next: a small partial index, empty once the log is integrated.
    await db.schema.createIndex("audit_events_pending").on("audit_events").column("seq").where(sql.ref("position"), "is", null).execute();
    await db.schema
      .createTable("audit_cosignatures")
      .addColumn("witness", "text", (c) => c.notNull())
      .addColumn("size", "bigint", (c) => c.notNull())
      .addColumn("cosigned_at", "text", (c) => c.notNull())
      .addColumn("signature", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("audit_cosignatures_pk", ["witness", "size"])
      .execute();
    if (bin === "bytea") {
      await sql`create sequence audit_event_arrival`.execute(db);
      await sql`select setval('audit_event_arrival', coalesce((select max(seq) from audit_events), 0) + 1, false)`.execute(db);
    }
  },
});
