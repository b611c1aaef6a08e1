import type { Kysely, Migration } from "kysely";

/**
 * 0023: the audit log as a Merkle tree (issue #12). Each checkpoint also records the RFC 6962 root
 * of the events up to it, the frontier (the perfect subtrees' roots) that lets the next checkpoint
 * extend the tree without rereading the log, and the C2SP signed note. Older checkpoints keep
 * these null; the first new one computes the tree from the start.
 */
export const name = "0023_audit_tree";

export const migration = (): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable("audit_checkpoints").addColumn("tree_root", "text").execute();
    await db.schema.alterTable("audit_checkpoints").addColumn("frontier", "text").execute();
    await db.schema.alterTable("audit_checkpoints").addColumn("note", "text").execute();
  },
});
