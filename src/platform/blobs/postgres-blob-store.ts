import { randomUUID } from "node:crypto";
import { Readable } from "node:stream";
import type { Db } from "../db/engine.js";
import { type BlobStore, BlobExistsError, blobKeySegments, BlobNotFoundError, bytesOf } from "./blob-store.js";

const CHUNK_BYTES = 1024 * 1024;
/** Unfinished uploads: no key can start with "~". The time in the key lets a sweep find old ones. */
const STAGING = "~upload/";

/**
 * Blobs as rows of `blob_chunks` (1 MiB each) in the shared database, so several servers share
 * files with no extra service. Streamed both ways: a put inserts each chunk as it fills, under a
 * staging key, then one short transaction renames the chunks to the key (refused if it exists); a
 * get reads one chunk per query. No long transaction holds the database during an upload, and at
 * most one chunk is in memory. Written for PostgreSQL; plain SQL, so SQLite runs it too.
 */
export class PostgresBlobStore implements BlobStore {
  readonly #db: Db;
  readonly #chunkBytes: number;

  constructor(db: Db, options: { chunkBytes?: number } = {}) {
    this.#db = db;
    this.#chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | Readable): Promise<{ bytes: number }> {
    blobKeySegments(key);
    if (await this.exists(key)) throw new BlobExistsError();
    const staging = `${STAGING}${new Date().toISOString()}/${randomUUID()}`;
    let index = 0;
    let bytes = 0;
    let committed = false;
    const insert = async (chunk: Buffer) => {
      await this.#db.insertInto("blob_chunks").values({ blob_key: staging, chunk_index: index, bytes: chunk }).execute();
      index += 1;
      bytes += chunk.length;
    };
    try {
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      for await (const chunk of bytesOf(source)) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes < this.#chunkBytes) continue;
        const all = Buffer.concat(pending, pendingBytes);
        let at = 0;
        for (; all.length - at >= this.#chunkBytes; at += this.#chunkBytes) await insert(all.subarray(at, at + this.#chunkBytes));
        pending = at < all.length ? [all.subarray(at)] : [];
        pendingBytes = all.length - at;
      }
      // Chunk 0 always exists: an empty blob is one empty chunk, and exists() looks for chunk 0.
      if (pendingBytes > 0 || index === 0) await insert(Buffer.concat(pending, pendingBytes));
      await this.#db.transaction().execute(async (tx) => {
        const taken = await tx.selectFrom("blob_chunks").select("chunk_index").where("blob_key", "=", key).where("chunk_index", "=", 0).executeTakeFirst();
        if (taken) throw new BlobExistsError();
        await tx.updateTable("blob_chunks").set({ blob_key: key }).where("blob_key", "=", staging).execute();
      });
      committed = true;
      return { bytes };
    } catch (error) {
      // A concurrent put of the same key won the race: the primary key refused our rename.
      if (!(error instanceof BlobExistsError) && (await this.exists(key).catch(() => false))) throw new BlobExistsError();
      throw error;
    } finally {
      if (!committed)
        await this.#db
          .deleteFrom("blob_chunks")
          .where("blob_key", "=", staging)
          .execute()
          .catch(() => {});
    }
  }

  get(key: string): Readable {
    blobKeySegments(key);
    return Readable.from(this.#chunks(key), { objectMode: false });
  }

  async *#chunks(key: string): AsyncGenerator<Buffer> {
    const row = await this.#db
      .selectFrom("blob_chunks")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("blob_key", "=", key)
      .executeTakeFirst();
    const count = Number(row?.n ?? 0);
    if (count === 0) throw new BlobNotFoundError();
    for (let index = 0; index < count; index++) {
      const chunk = await this.#db.selectFrom("blob_chunks").select("bytes").where("blob_key", "=", key).where("chunk_index", "=", index).executeTakeFirst();
      // Deleted while being read: fail rather than end early, which would look like a whole blob.
      if (!chunk) throw new BlobNotFoundError();
      if (chunk.bytes.length > 0) yield chunk.bytes;
    }
  }

  async delete(key: string): Promise<boolean> {
    blobKeySegments(key);
    const result = await this.#db.deleteFrom("blob_chunks").where("blob_key", "=", key).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async exists(key: string): Promise<boolean> {
    blobKeySegments(key);
    const row = await this.#db.selectFrom("blob_chunks").select("chunk_index").where("blob_key", "=", key).where("chunk_index", "=", 0).executeTakeFirst();
    return row !== undefined;
  }

  /** Removes chunks of uploads that never finished (a crashed server) and started before `before`. */
  async sweepAbandonedUploads(before: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom("blob_chunks")
      .where("blob_key", ">=", STAGING)
      .where("blob_key", "<", `${STAGING}${before.toISOString()}`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
