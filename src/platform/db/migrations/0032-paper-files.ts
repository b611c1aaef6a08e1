import type { Kysely, Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0032: paper files (issue #14, PAP-1, PAP-2): the archive's rooms, cabinets and shelves; paper
 * files of clients with a label code, a sealed title and a home shelf; check-outs and copies (L3+
 * wait for an approver); stocktakes and their scans; destruction records; archive-room control
 * checks. Dates are text (YYYY-MM-DD), lists JSON text: the same on both engines.
 */
export const name = "0032_paper_files";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("paper_locations")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("parent_id", "text", (c) => c.references("paper_locations.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("code", "text", (c) => c.notNull().unique())
      .addColumn("label", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("paper_files")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("code", "text", (c) => c.notNull().unique())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("matter_id", "text", (c) => c.references("matters.id"))
      .addColumn("reference", "text", (c) => c.notNull())
      .addColumn("title_ct", bin)
      .addColumn("level", "integer", (c) => c.notNull())
      .addColumn("home_location_id", "text", (c) => c.notNull().references("paper_locations.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("destruction_id", "text")
      .execute();
    await db.schema.createIndex("paper_files_by_client").on("paper_files").column("client_id").execute();
    await db.schema.createIndex("paper_files_by_home").on("paper_files").column("home_location_id").execute();
    await db.schema
      .createTable("paper_checkouts")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("file_id", "text", (c) => c.notNull().references("paper_files.id"))
      .addColumn("borrower_id", "text", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("due_on", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("requested_by", "text", (c) => c.notNull())
      .addColumn("requested_at", "text", (c) => c.notNull())
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .addColumn("checked_out_at", "text")
      .addColumn("returned_at", "text")
      .addColumn("returned_to", "text")
      .execute();
    await db.schema.createIndex("paper_checkouts_by_file").on("paper_checkouts").columns(["file_id", "status"]).execute();
    // Overdue check-outs (the paper-overdue job).
    await db.schema.createIndex("paper_checkouts_by_status_due").on("paper_checkouts").columns(["status", "due_on"]).execute();
    await db.schema
      .createTable("paper_copies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("file_id", "text", (c) => c.notNull().references("paper_files.id"))
      .addColumn("made_by", "text", (c) => c.notNull())
      .addColumn("copies", "integer", (c) => c.notNull())
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .execute();
    await db.schema.createIndex("paper_copies_by_file").on("paper_copies").column("file_id").execute();
    await db.schema
      .createTable("paper_stocktakes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("location_id", "text", (c) => c.references("paper_locations.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("opened_by", "text", (c) => c.notNull())
      .addColumn("opened_at", "text", (c) => c.notNull())
      .addColumn("closed_by", "text")
      .addColumn("closed_at", "text")
      .addColumn("report", "text")
      .execute();
    await db.schema
      .createTable("paper_stocktake_scans")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("stocktake_id", "text", (c) => c.notNull().references("paper_stocktakes.id"))
      .addColumn("code", "text", (c) => c.notNull())
      .addColumn("location_id", "text", (c) => c.references("paper_locations.id"))
      .addColumn("scanned_by", "text", (c) => c.notNull())
      .addColumn("scanned_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("paper_stocktake_scans_by_session").on("paper_stocktake_scans").column("stocktake_id").execute();
    await db.schema
      .createTable("paper_destructions")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("destroyed_on", "text", (c) => c.notNull())
      .addColumn("witnesses", "text", (c) => c.notNull())
      .addColumn("file_ids", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("paper_control_checks")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("room_id", "text", (c) => c.notNull().references("paper_locations.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("checked_on", "text", (c) => c.notNull())
      .addColumn("checked_by", "text", (c) => c.notNull())
      .addColumn("result", "text", (c) => c.notNull())
      .addColumn("notes_ct", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("paper_control_checks_by_room").on("paper_control_checks").columns(["room_id", "checked_on"]).execute();
  },
});
