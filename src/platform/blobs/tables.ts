/** Storage shapes this area owns, as Kysely sees them (assembled in src/platform/db/schema.ts). */

/** One chunk of a blob kept in the database (PostgresBlobStore): ciphertext only. */
export interface DbBlobChunk {
  blob_key: string;
  chunk_index: number;
  bytes: Buffer;
}

export interface BlobTables {
  blob_chunks: DbBlobChunk;
}
