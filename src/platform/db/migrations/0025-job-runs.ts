import type { Kysely, Migration } from "kysely";

/**
 * 0025: scheduled jobs (issue #16). Every run is a row; (job, scheduled_for) is unique, so two
 * servers can never both run the same occurrence, even while the leader lease changes hands.
 * The lease itself is a row with an expiry (works on both engines). Marks record what a job did
 * once per period (a drill reminder per due period).
 */
export const name = "0025_job_runs";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("job_runs")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("job", "text", (c) => c.notNull())
      .addColumn("scheduled_for", "text", (c) => c.notNull())
      .addColumn("trigger", "text", (c) => c.notNull())
      .addColumn("server_id", "text", (c) => c.notNull())
      .addColumn("started_at", "text", (c) => c.notNull())
      .addColumn("finished_at", "text")
      .addColumn("outcome", "text", (c) => c.notNull())
      .addColumn("summary", "text")
      .addUniqueConstraint("job_runs_occurrence", ["job", "scheduled_for"])
      .execute();
    // The last runs of a job, newest first (jobs list, catch-up after a restart).
    await db.schema.createIndex("job_runs_by_job").on("job_runs").columns(["job", "id"]).execute();
    await db.schema
      .createTable("job_leases")
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("holder", "text", (c) => c.notNull())
      .addColumn("acquired_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema
      .createTable("job_marks")
      .addColumn("job", "text", (c) => c.notNull())
      .addColumn("mark", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("job_marks_pk", ["job", "mark"])
      .execute();
  },
});
