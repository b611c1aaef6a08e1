import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0008: retention schedules, destruction batches and certificates, anonymised statistics (RET-1..3).
 * The schedule figures are EDITABLE DEFAULTS (`is_default = 1`), not legal advice: compliance
 * confirms or changes them. Nothing here holds personal data: ids, codes, counts and times only.
 */
export const name = "0008_retention_and_backups";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("retention_schedules")
      .addColumn("record_class", "text", (c) => c.primaryKey())
      // matter_closed | relationship_ended | last_activity
      .addColumn("trigger", "text", (c) => c.notNull())
      // years | months | days
      .addColumn("period_unit", "text", (c) => c.notNull())
      .addColumn("period_amount", "integer", (c) => c.notNull())
      .addColumn("is_default", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .execute();
    const now = new Date().toISOString();
    const row = (record_class: string, trigger: string, period_amount: number, period_unit = "years") => ({
      record_class,
      trigger,
      period_unit,
      period_amount,
      is_default: 1,
      updated_at: now,
      updated_by: null,
    });
    await db
      .insertInto("retention_schedules")
      .values([
        row("client_file", "matter_closed", 10),
        row("matter_file", "matter_closed", 10),
        row("billing_record", "matter_closed", 10),
        row("unengaged_client", "last_activity", 3),
        row("audit_log", "last_activity", 10),
      ])
      .execute();

    // pending → approved | rejected; approved → executed. One compliance approver, never the requester.
    await db.schema
      .createTable("destruction_batches")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("requested_by", "text", (c) => c.notNull())
      .addColumn("requested_at", "text", (c) => c.notNull())
      .addColumn("decided_by", "text")
      .addColumn("decided_at", "text")
      .addColumn("executed_at", "text")
      .addColumn("certificate_id", "text")
      .execute();
    await db.schema
      .createTable("destruction_batch_clients")
      .addColumn("batch_id", "text", (c) => c.notNull().references("destruction_batches.id"))
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addPrimaryKeyConstraint("destruction_batch_clients_pk", ["batch_id", "client_id"])
      .execute();

    // The certificate's lists are JSON of ids, codes and counts.
    await db.schema
      .createTable("destruction_certificates")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("batch_id", "text", (c) => c.notNull().references("destruction_batches.id"))
      .addColumn("issued_at", "text", (c) => c.notNull())
      .addColumn("method", "text", (c) => c.notNull())
      .addColumn("record_counts", "text", (c) => c.notNull())
      .addColumn("client_ids", "text", (c) => c.notNull())
      .addColumn("skipped", "text", (c) => c.notNull())
      .addColumn("requested_by", "text", (c) => c.notNull())
      .addColumn("approvers", "text", (c) => c.notNull())
      .addColumn("notify", "text", (c) => c.notNull())
      .addColumn("audit_seq_from", "bigint")
      .addColumn("audit_seq_to", "bigint")
      .execute();

    // Anonymised statistics kept after erasure: counts only, no identifiers.
    await db.schema
      .createTable("retention_statistics")
      .addColumn("practice_area", "text", (c) => c.notNull())
      .addColumn("year", "integer", (c) => c.notNull())
      .addColumn("clients", "integer", (c) => c.notNull())
      .addColumn("matters", "integer", (c) => c.notNull())
      .addPrimaryKeyConstraint("retention_statistics_pk", ["practice_area", "year"])
      .execute();
  },
});
