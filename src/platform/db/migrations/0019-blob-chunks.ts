import { sql, type Kysely, type Migration } from "kysely";
import type { BinaryType } from "./index.js";

/**
 * 0019: encrypted document files kept in the database (issue #11), for servers that share one
 * PostgreSQL and no file system. A blob is its chunks, 0 … n-1, of up to 1 MiB each; chunk 0 always
 * exists (an empty blob is one empty chunk). Only ciphertext is stored here.
 */
export const name = "0019_blob_chunks";

export const migration = (bin: BinaryType): Migration => ({
  async up(db: Kysely<any>) {
    await db.schema
      .createTable("blob_chunks")
      .addColumn("blob_key", "text", (c) => c.notNull())
      .addColumn("chunk_index", "integer", (c) => c.notNull())
      .addColumn("bytes", sql.raw(bin), (c) => c.notNull())
      .addPrimaryKeyConstraint("blob_chunks_pk", ["blob_key", "chunk_index"])
      .execute();
  },
});
