import type { Kysely, Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0020: client documents (issue #11). A document belongs to a client (and optionally a matter); its
 * title and filename are sealed with the client's data key, and so is its file key, so erasing the
 * client shreds every file. Each upload is a version whose ciphertext lives in the blob store; the
 * findings of the PII scan are sealed too (types and places, never values). Every copy handed out
 * (a download, later a share) is registered with the fingerprint it carries, for leak tracing.
 */
export const name = "0020_client_documents";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("documents")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("client_id", "text", (c) => c.notNull().references("clients.id"))
      .addColumn("matter_id", "text", (c) => c.references("matters.id"))
      .addColumn("category", "text", (c) => c.notNull())
      .addColumn("level", "integer", (c) => c.notNull())
      .addColumn("title_ct", bin)
      .addColumn("filename_ct", bin)
      .addColumn("wrapped_file_key", bin)
      .addColumn("current_version", "integer", (c) => c.notNull())
      // A redacted copy names the document (and version) it was made from.
      .addColumn("derived_from", "text", (c) => c.references("documents.id"))
      .addColumn("derived_version", "integer")
      .addColumn("created_by", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("updated_at", "text", (c) => c.notNull())
      .addColumn("checked_out_by", "text")
      .addColumn("checked_out_at", "text")
      .addColumn("destroyed_at", "text")
      .addColumn("destroyed_reason", "text")
      .execute();
    await db.schema.createIndex("documents_client").on("documents").columns(["client_id", "created_at"]).execute();
    await db.schema.createIndex("documents_matter").on("documents").column("matter_id").execute();

    await db.schema
      .createTable("document_versions")
      .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("blob_key", "text", (c) => c.notNull())
      .addColumn("size_bytes", "bigint", (c) => c.notNull())
      .addColumn("media_type", "text", (c) => c.notNull())
      .addColumn("content_mac", "text", (c) => c.notNull())
      .addColumn("scan_status", "text", (c) => c.notNull())
      .addColumn("findings_ct", bin)
      .addColumn("detected_level", "integer")
      .addColumn("uploaded_by", "text", (c) => c.notNull())
      .addColumn("uploaded_at", "text", (c) => c.notNull())
      .addPrimaryKeyConstraint("document_versions_pk", ["document_id", "version"])
      .execute();
    await db.schema.createIndex("document_versions_mac").on("document_versions").column("content_mac").execute();

    await db.schema
      .createTable("document_copies")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("document_id", "text", (c) => c.notNull().references("documents.id"))
      .addColumn("version", "integer", (c) => c.notNull())
      .addColumn("fingerprint", "text", (c) => c.notNull().unique())
      .addColumn("kind", "text", (c) => c.notNull())
      .addColumn("user_id", "text")
      .addColumn("share_id", "text")
      .addColumn("watermarked", "integer", (c) => c.notNull())
      .addColumn("request_id", "text")
      .addColumn("created_at", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("document_copies_document").on("document_copies").columns(["document_id", "created_at"]).execute();
  },
});
