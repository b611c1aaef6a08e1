import type { Kysely, Migration } from "kysely";
import { KPI_CODES, KPI_DEFINITIONS } from "../../../governance/kpis/kpi.js";

/**
 * 0034: KPI targets (issue #14, GOV-6), seeded with the defaults (100% approval compliance,
 * encryption coverage, training, acknowledgements, requests on time and access-review completion;
 * a leak-incident rate of at most 0.5%) and then edited as data. The figures themselves are
 * computed from the records each time, so nothing else is stored; an index on the audit log's
 * (action, at) serves the approval-compliance figures.
 */
export const name = "0034_kpi_targets";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("kpi_targets")
      .addColumn("code", "text", (c) => c.primaryKey())
      .addColumn("target_ppm", "integer", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("updated_by", "text")
      .execute();
    // The approval-compliance KPI reads sensitive operations by action over a time range, per
    // period of its trend; without this index each read scans the whole audit log.
    await db.schema.createIndex("audit_events_action_at").on("audit_events").columns(["action", "at"]).execute();
    const now = new Date().toISOString();
    await db
      .insertInto("kpi_targets")
      .values(KPI_CODES.map((code) => ({ code, target_ppm: KPI_DEFINITIONS[code].defaultTargetPpm, updated_at: now, updated_by: null })))
      .execute();
  },
});
