import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/** 0003: matters, teams, ethical walls and the first alerts. */
export const name = "0003_matters_and_walls";

export const migration = (bin: BinaryType): Migration => ({
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
});
