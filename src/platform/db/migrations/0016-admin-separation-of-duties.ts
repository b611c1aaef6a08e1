import type { BinaryType } from "./index.js";
import { sql, type Kysely, type Migration } from "kysely";

/**
 * 0016: administration is not a back door (issue #10).
 * - API tokens record who made them (`created_by`: a user id, or `system:console` for the CLI) and
 *   when they were last used. Tokens made before this migration get their creator from the audit
 *   log's `token.create` event; a token with no such event keeps a null creator ("unknown").
 * - A role at L3 or above is granted through the four-eyes approvals: an approval request may now
 *   name a staff member and a role (`subject_id`, `role`) instead of a client, so `client_id` may be null.
 * - Detection gains the `privileged_role` rule: an alert whenever a role at L3+ takes effect.
 */
export const name = "0016_admin_separation_of_duties";

const APPROVAL_COLUMNS = "id, requester_id, kind, client_id, matter_id, purpose, justification, reference, duration_minutes, status, created_at, decided_at";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable("api_tokens").addColumn("created_by", "text").execute();
    await db.schema.alterTable("api_tokens").addColumn("last_used_at", "text").execute();
    // The audit log is the record of who issued each token (audit_events_target index per token).
    await sql`
      update api_tokens set created_by = (
        select e.actor_id from audit_events e
        where e.target_id = api_tokens.id and e.target_type = 'token' and e.action = 'token.create' and e.outcome = 'success'
        order by e.seq limit 1
      )`.execute(db);

    if (bin === "blob") await rebuildApprovalRequestsOnSqlite(db);
    else
      await db.schema
        .alterTable("approval_requests")
        .alterColumn("client_id", (c) => c.dropNotNull())
        .execute();
    await db.schema
      .alterTable("approval_requests")
      .addColumn("subject_id", "text", (c) => c.references("users.id"))
      .execute();
    await db.schema.alterTable("approval_requests").addColumn("role", "text").execute();
    // One pending role grant per person, so an approval never applies a stale request (two admins at once).
    await sql`create unique index approval_requests_one_pending_role on approval_requests (subject_id) where kind = 'role_grant' and status = 'pending'`.execute(
      db,
    );

    await db
      .insertInto("detection_rules")
      .values({
        code: "privileged_role",
        enabled: 1,
        severity: "high",
        containment: "none",
        params: JSON.stringify({ minClearance: 3 }),
        updated_at: new Date().toISOString(),
        updated_by: null,
      })
      .execute();
  },
});

/**
 * SQLite cannot drop a NOT NULL constraint, so the table is rebuilt (SQLite's documented
 * procedure): foreign keys off for the swap, which runs in one transaction, then checked.
 * (`binaryType` "blob" is the SQLite engine: migrations receive no other engine flag.)
 */
async function rebuildApprovalRequestsOnSqlite(db: Kysely<any>): Promise<void> {
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (tx) => {
      await tx.schema
        .createTable("approval_requests_new")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("requester_id", "text", (c) => c.notNull().references("users.id"))
        .addColumn("kind", "text", (c) => c.notNull())
        .addColumn("client_id", "text", (c) => c.references("clients.id"))
        .addColumn("matter_id", "text")
        .addColumn("purpose", "text", (c) => c.notNull())
        .addColumn("justification", "text", (c) => c.notNull())
        .addColumn("reference", "text")
        .addColumn("duration_minutes", "integer", (c) => c.notNull())
        .addColumn("status", "text", (c) => c.notNull())
        .addColumn("created_at", "text", (c) => c.notNull())
        .addColumn("decided_at", "text")
        .execute();
      await sql.raw(`insert into approval_requests_new (${APPROVAL_COLUMNS}) select ${APPROVAL_COLUMNS} from approval_requests`).execute(tx);
      await tx.schema.dropTable("approval_requests").execute();
      await tx.schema.alterTable("approval_requests_new").renameTo("approval_requests").execute();
      await tx.schema.createIndex("approval_requests_requester").on("approval_requests").columns(["requester_id", "created_at"]).execute();
      await tx.schema.createIndex("approval_requests_status").on("approval_requests").columns(["status", "created_at"]).execute();
      const broken = await sql`pragma foreign_key_check`.execute(tx);
      if (broken.rows.length) throw new Error("approval_requests rebuild left broken foreign keys");
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
