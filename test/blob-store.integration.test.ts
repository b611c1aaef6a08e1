/**
 * One conformance suite for every blob store (issue #11): the data-directory store and the
 * database store (PostgreSQL, and SQLite, which runs the same SQL). Blobs are immutable: a put on a
 * key that exists is refused and changes nothing.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BlobStore, BlobExistsError, BlobKeyError, BlobNotFoundError } from "../src/platform/blobs/blob-store.js";
import { FileBlobStore } from "../src/platform/blobs/file-blob-store.js";
import { PostgresBlobStore } from "../src/platform/blobs/postgres-blob-store.js";
import type { Services } from "../src/platform/services.js";
import { createTestDatabase, DIALECTS, type TestDatabase } from "./support/dialects.js";

interface StoreUnderTest {
  store: BlobStore;
  /** Bytes one stored chunk or file may hold at most; the multi-chunk test writes several. */
  chunkBytes: number;
  /** What the store keeps besides committed blobs (temp files, staging rows): empty when idle. */
  leftovers(): Promise<string[]>;
  cleanup(): Promise<void>;
}

const read = async (stream: Readable): Promise<Buffer> => {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
};
/** Yields the bytes in uneven pieces, as a network upload would. */
async function* pieces(bytes: Buffer, size = 7777): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
async function* failingAfter(bytes: Buffer): AsyncGenerator<Buffer> {
  yield* pieces(bytes);
  throw new Error("upload interrupted");
}
const TRAVERSALS = [
  "",
  "../x",
  "a/../../etc/passwd",
  "/etc/passwd",
  "a//b",
  ".",
  "..",
  "a/./b",
  "a\\b",
  "a\0b",
  ".incoming/x",
  "~upload/x",
  "a/",
  "-rf",
  "x".repeat(101),
];

function testBlobStore(name: string, make: () => Promise<StoreUnderTest>) {
  describe(`blob store conformance: ${name}`, () => {
    let t: StoreUnderTest;
    beforeAll(async () => {
      t = await make();
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it("stores and streams back an empty blob", async () => {
      expect(await t.store.put("docs/empty/v1", pieces(Buffer.alloc(0)))).toEqual({ bytes: 0 });
      expect(await t.store.exists("docs/empty/v1")).toBe(true);
      expect((await read(t.store.get("docs/empty/v1"))).length).toBe(0);
    });

    it("streams a multi-chunk blob in and out, from an async iterable or a Readable", async () => {
      const bytes = randomBytes(3 * t.chunkBytes + 12_345);
      expect(await t.store.put("docs/d1/v1", pieces(bytes))).toEqual({ bytes: bytes.length });
      expect((await read(t.store.get("docs/d1/v1"))).equals(bytes)).toBe(true);
      const exact = randomBytes(2 * t.chunkBytes);
      expect(await t.store.put("docs/d1/v2", Readable.from(pieces(exact, 1000)))).toEqual({ bytes: exact.length });
      expect((await read(t.store.get("docs/d1/v2"))).equals(exact)).toBe(true);
      expect(await t.leftovers()).toEqual([]);
    });

    it("refuses to overwrite: a second put fails with blob_exists and the first blob stays as it was", async () => {
      const first = randomBytes(5000);
      await t.store.put("docs/d2/v1", pieces(first));
      const second = t.store.put("docs/d2/v1", pieces(randomBytes(9000)));
      await expect(second).rejects.toBeInstanceOf(BlobExistsError);
      await expect(second).rejects.toMatchObject({ code: "blob_exists" });
      expect((await read(t.store.get("docs/d2/v1"))).equals(first)).toBe(true);
      expect(await t.leftovers()).toEqual([]);
    });

    it("lets exactly one of two concurrent puts of a key win", async () => {
      const [a, b] = [randomBytes(2 * t.chunkBytes + 1), randomBytes(2 * t.chunkBytes + 2)];
      const results = await Promise.allSettled([t.store.put("docs/race/v1", pieces(a)), t.store.put("docs/race/v1", pieces(b))]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(BlobExistsError);
      const stored = await read(t.store.get("docs/race/v1"));
      expect(stored.equals(a) || stored.equals(b)).toBe(true);
      expect(await t.leftovers()).toEqual([]);
    });

    it("leaves nothing under the key, and nothing behind, when the source fails midway", async () => {
      await expect(t.store.put("docs/broken/v1", failingAfter(randomBytes(2 * t.chunkBytes + 10)))).rejects.toThrow("upload interrupted");
      expect(await t.store.exists("docs/broken/v1")).toBe(false);
      expect(await t.leftovers()).toEqual([]);
      // The key is still free for a retry.
      await t.store.put("docs/broken/v1", pieces(Buffer.from("retry")));
      expect((await read(t.store.get("docs/broken/v1"))).toString()).toBe("retry");
    });

    it("deletes: true once, then false; the key reads as missing and may be written again", async () => {
      await t.store.put("docs/d3/v1", pieces(randomBytes(t.chunkBytes + 1)));
      expect(await t.store.delete("docs/d3/v1")).toBe(true);
      expect(await t.store.delete("docs/d3/v1")).toBe(false);
      expect(await t.store.exists("docs/d3/v1")).toBe(false);
      await expect(read(t.store.get("docs/d3/v1"))).rejects.toBeInstanceOf(BlobNotFoundError);
      await t.store.put("docs/d3/v1", pieces(Buffer.from("again")));
      expect((await read(t.store.get("docs/d3/v1"))).toString()).toBe("again");
    });

    it("answers a missing key with blob_not_found on read, false on exists and delete", async () => {
      await expect(read(t.store.get("docs/nothing/v1"))).rejects.toMatchObject({ code: "blob_not_found" });
      // A key below an existing blob's name is missing too, not an error of the file system.
      await expect(read(t.store.get("docs/d1/v1/below"))).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await t.store.exists("docs/nothing/v1")).toBe(false);
      expect(await t.store.delete("docs/nothing/v1")).toBe(false);
    });

    it("refuses path-traversal and malformed keys before touching storage", async () => {
      for (const key of TRAVERSALS) {
        await expect(t.store.put(key, pieces(Buffer.from("x"))), key).rejects.toBeInstanceOf(BlobKeyError);
        expect(() => t.store.get(key), key).toThrow(BlobKeyError);
        await expect(t.store.exists(key), key).rejects.toMatchObject({ code: "blob_key_invalid" });
        await expect(t.store.delete(key), key).rejects.toBeInstanceOf(BlobKeyError);
      }
      expect(await t.leftovers()).toEqual([]);
    });
  });
}

testBlobStore("data directory", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "custodia-blobs-"));
  const store = new FileBlobStore(dataDir);
  return {
    store,
    chunkBytes: 1024 * 1024,
    leftovers: async () => readdirSync(join(dataDir, "blobs", ".incoming")),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
});

describe("data-directory store: files on disk", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "custodia-blobs-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("writes blobs under <data dir>/blobs with files 0600 and directories 0700, nothing outside", async () => {
    const store = new FileBlobStore(dataDir);
    await store.put("clients/c1/documents/d1/v1", pieces(randomBytes(100)));
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(dataDir, "blobs", "clients", "c1", "documents", "d1", "v1"))).toBe(0o600);
    for (const dir of ["blobs", "blobs/clients", "blobs/clients/c1/documents/d1", "blobs/.incoming"]) expect(mode(join(dataDir, dir)), dir).toBe(0o700);
    await expect(store.put("../escaped", pieces(Buffer.from("x")))).rejects.toBeInstanceOf(BlobKeyError);
    expect(readdirSync(dataDir).sort()).toEqual(["blobs"]);
    expect(existsSync(join(dataDir, "..", "escaped"))).toBe(false);
  });
});

for (const dialect of DIALECTS) {
  describe(`${dialect}: database blob store`, () => {
    let db: TestDatabase;
    let services: Services;
    const CHUNK = 64 * 1024;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      services = await db.open();
    });
    afterAll(async () => {
      await services?.close();
      await db?.cleanup();
    });

    testBlobStore(`${dialect}: database chunks`, async () => ({
      store: new PostgresBlobStore(services.engine.db, { chunkBytes: CHUNK }),
      chunkBytes: CHUNK,
      leftovers: async () =>
        (await services.engine.db.selectFrom("blob_chunks").select("blob_key").where("blob_key", "like", "~%").execute()).map((r) => r.blob_key),
      cleanup: async () => {},
    }));

    describe("rows", () => {
      it("keeps a blob as numbered chunks of at most the chunk size, chunk 0 even when empty", async () => {
        const rows = (key: string) =>
          services.engine.db
            .selectFrom("blob_chunks")
            .select(["chunk_index", (eb) => eb.fn<number>("length", ["bytes"]).as("n")])
            .where("blob_key", "=", key)
            .orderBy("chunk_index")
            .execute();
        const store = new PostgresBlobStore(services.engine.db, { chunkBytes: CHUNK });
        await store.put("rows/a", pieces(randomBytes(2 * CHUNK + 3)));
        expect((await rows("rows/a")).map((r) => [r.chunk_index, Number(r.n)])).toEqual([
          [0, CHUNK],
          [1, CHUNK],
          [2, 3],
        ]);
        await store.put("rows/empty", pieces(Buffer.alloc(0)));
        expect((await rows("rows/empty")).map((r) => [r.chunk_index, Number(r.n)])).toEqual([[0, 0]]);
      });

      it("sweeps the staging chunks of uploads abandoned by a crashed server", async () => {
        const old = `~upload/${new Date(Date.now() - 86_400_000).toISOString()}/crashed`;
        await services.engine.db
          .insertInto("blob_chunks")
          .values({ blob_key: old, chunk_index: 0, bytes: randomBytes(10) })
          .execute();
        const store = new PostgresBlobStore(services.engine.db);
        expect(await store.sweepAbandonedUploads(new Date(Date.now() - 3_600_000))).toBe(1);
        expect(await services.engine.db.selectFrom("blob_chunks").select("blob_key").where("blob_key", "=", old).execute()).toEqual([]);
      });
    });
  });
}
