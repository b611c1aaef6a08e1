import type { BinaryType } from "./index.js";
import type { Kysely, Migration } from "kysely";

/**
 * 0005: approvals, grants, break-glass and access conditions (issue #3, APR-1..3, TRN-2). Plain DDL
 * both engines run unchanged; ids, codes, reference numbers and times only — no personal data.
 */
export const name = "0005_approvals_and_grants";

export const migration = (_bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    // The requester's supervisor fills the first slot of a four-eyes approval (APR-2).
    await db.schema.alterTable("users").addColumn("supervisor_id", "text").execute();

    // Justification is a code plus a ticket reference: no free text that could hold personal data.
    await db.schema
      .createTable("approval_requests")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("requester_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("matter_id", "text")
      .addColumn("purpose", "text", (c) => c.notNull())
      .addColumn("justification", "text", (c) => c.notNull())
      .addColumn("reference", "text")
      .addColumn("duration_minutes", "integer", (c) => c.notNull())
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("decided_at", "text")
      .execute();
    await db.schema.createIndex("approval_requests_requester").on("approval_requests").columns(["requester_id", "created_at"]).execute();
    await db.schema.createIndex("approval_requests_status").on("approval_requests").columns(["status", "created_at"]).execute();

    // One row per filled approver slot; the primary key stops a slot being filled twice.
    await db.schema
      .createTable("approval_decisions")
      .addColumn("request_id", "text", (c) => c.notNull().references("approval_requests.id"))
      .addColumn("slot", "text", (c) => c.notNull())
      .addColumn("approver_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("decision", "text", (c) => c.notNull())
      .addColumn("decided_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("approval_decisions_pk", ["request_id", "slot"])
      .execute();

    await db.schema
      .createTable("access_grants")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("request_id", "text", (c) => c.notNull().references("approval_requests.id"))
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("matter_id", "text")
      .addColumn("starts_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("revoked_at", "text")
      .execute();
    await db.schema.createIndex("access_grants_user_client").on("access_grants").columns(["user_id", "client_id", "expires_at"]).execute();

    await db.schema
      .createTable("break_glass_accesses")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("justification", "text", (c) => c.notNull())
      .addColumn("reference", "text", (c) => c.notNull())
      .addColumn("opened_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("break_glass_user_client").on("break_glass_accesses").columns(["user_id", "client_id", "expires_at"]).execute();

    await db.schema
      .createTable("break_glass_reviews")
      .addColumn("access_id", "text", (c) => c.primaryKey().references("break_glass_accesses.id"))
      .addColumn("status", "text", (c) => c.notNull())
      .addColumn("reviewer_id", "text")
      .addColumn("reviewed_at", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("break_glass_reviews_status").on("break_glass_reviews").columns(["status", "created_at"]).execute();

    // Access conditions (TRN-2): append-only evidence; the latest row per user is the current one.
    await db.schema
      .createTable("staff_agreements")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("signed_at", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("staff_agreements_user").on("staff_agreements").columns(["user_id", "signed_at"]).execute();
    await db.schema
      .createTable("staff_trainings")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
      .addColumn("completed_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("recorded_by", "text", (c) => c.notNull())
      .addColumn("recorded_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("staff_trainings_user").on("staff_trainings").columns(["user_id", "expires_at"]).execute();
  },
});
