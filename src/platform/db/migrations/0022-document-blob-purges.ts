import type { Kysely, Migration } from "kysely";

/**
 * 0022: the lifecycle of client documents (issue #11). A destroyed document (its client erased or
 * destroyed under retention) keeps its rows for the record, but its ciphertext must leave the blob
 * store. The blob is deleted after the destroying transaction commits (a store is not part of the
 * transaction), so each version notes when its blob was purged: a sweep finishes what a crash
 * interrupted and never repeats what was done.
 */
export const name = "0022_document_blob_purges";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable("document_versions").addColumn("blob_purged_at", "text").execute();
    // The purge looks for destroyed documents, which are few beside the live ones.
    await db.schema.createIndex("documents_destroyed").on("documents").column("destroyed_at").execute();
  },
});
