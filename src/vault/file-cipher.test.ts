import { createHash, randomBytes } from "node:crypto";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createFileDecryptor, createFileEncryptor, FILE_HEADER_BYTES, type FileBinding, FileIntegrityError } from "./file-cipher.js";
import type { KeyProvider } from "./key-provider.js";
import { Vault } from "./vault.js";

/** Small segments keep the properties fast while crossing many segment boundaries. */
const S = 16;
const TAG = 16;
const options = { segmentBytes: S };
const doc: FileBinding = { documentId: "doc-1", version: 1 };

/** Splits bytes into the chunk sizes a socket might deliver. */
function chunked(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    if (p > from) out.push(bytes.subarray(from, p));
    from = Math.max(from, p);
  }
  return out;
}

async function run(stream: NodeJS.ReadWriteStream, chunks: Buffer[]): Promise<{ out: Buffer; error: unknown }> {
  const out: Buffer[] = [];
  try {
    await pipeline(
      Readable.from(chunks),
      stream,
      new Writable({
        write(chunk: Buffer, _e, done) {
          out.push(chunk);
          done();
        },
      }),
    );
    return { out: Buffer.concat(out), error: null };
  } catch (error) {
    return { out: Buffer.concat(out), error };
  }
}

const encrypt = async (key: Buffer, plain: Buffer, binding = doc, cuts: number[] = []) => {
  const { out, error } = await run(createFileEncryptor(key, binding, options), chunked(plain, cuts));
  if (error) throw error;
  return out;
};
const decrypt = (key: Buffer, sealed: Buffer, binding = doc, cuts: number[] = []) => run(createFileDecryptor(key, binding, options), chunked(sealed, cuts));

/** Header and segments of a sealed file, as views. */
function split(sealed: Buffer): { header: Buffer; segments: Buffer[] } {
  const segments: Buffer[] = [];
  for (let at = FILE_HEADER_BYTES; at < sealed.length; at += S + TAG) segments.push(sealed.subarray(at, Math.min(at + S + TAG, sealed.length)));
  return { header: sealed.subarray(0, FILE_HEADER_BYTES), segments };
}
const join = (header: Buffer, segments: Buffer[]) => Buffer.concat([header, ...segments]);
const without = (xs: Buffer[], i: number) => [...xs.slice(0, i), ...xs.slice(i + 1)];
const inserted = (xs: Buffer[], i: number, x: Buffer) => [...xs.slice(0, i), x, ...xs.slice(i)];
const replaced = (xs: Buffer[], i: number, x: Buffer) => [...xs.slice(0, i), x, ...xs.slice(i + 1)];

/**
 * A tampered file must fail with the typed error, and what came out before the failure must be
 * verified plaintext from before the first tampered segment, never anything of it or after it.
 */
function expectRefused(result: { out: Buffer; error: unknown }, plain: Buffer, firstTampered: number) {
  expect(result.error).toBeInstanceOf(FileIntegrityError);
  expect(result.out.length).toBeLessThanOrEqual(firstTampered * S);
  expect(result.out.equals(plain.subarray(0, result.out.length))).toBe(true);
}

const sizes = fc.oneof(fc.constantFrom(0, 1, S - 1, S, S + 1, 2 * S - 1, 2 * S, 2 * S + 1, 5 * S), fc.nat(12 * S));
const cuts = fc.array(fc.nat(20 * S), { maxLength: 6 });
/** Plaintexts of at least `segments` segments, so every tampering below has something to act on. */
const plainOf = (segments: number) => fc.integer({ min: (segments - 1) * S + 1, max: 8 * S }).map((n) => randomBytes(n));

describe("file cipher: segmented AES-256-GCM streams", () => {
  const key = randomBytes(32);

  it("round-trips any size, whatever the chunking, at header + plaintext + one tag per segment", async () => {
    await fc.assert(
      fc.asyncProperty(sizes, cuts, cuts, async (size, encCuts, decCuts) => {
        const plain = randomBytes(size);
        const sealed = await encrypt(key, plain, doc, encCuts);
        const segments = Math.max(1, Math.ceil(size / S));
        expect(sealed.length).toBe(FILE_HEADER_BYTES + size + segments * TAG);
        const { out, error } = await decrypt(key, sealed, doc, decCuts);
        expect(error).toBeNull();
        expect(out.equals(plain)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("detects a dropped last segment (truncation at a segment boundary) and any cut inside the file", async () => {
    await fc.assert(
      fc.asyncProperty(plainOf(2), fc.nat(), async (plain, cut) => {
        const sealed = await encrypt(key, plain);
        const { header, segments } = split(sealed);
        expectRefused(await decrypt(key, join(header, segments.slice(0, -1))), plain, segments.length - 2);
        const at = cut % sealed.length;
        // Released: only segments a whole further segment followed; the cut one never.
        expectRefused(await decrypt(key, sealed.subarray(0, at)), plain, Math.max(0, Math.ceil((at - FILE_HEADER_BYTES) / (S + TAG)) - 1));
      }),
      { numRuns: 60 },
    );
  });

  it("detects a dropped middle segment, two swapped segments and a duplicated one", async () => {
    await fc.assert(
      fc.asyncProperty(plainOf(3), fc.nat(), fc.nat(), async (plain, a, b) => {
        const { header, segments } = split(await encrypt(key, plain));
        const n = segments.length;
        const middle = 1 + (a % (n - 2));
        expectRefused(await decrypt(key, join(header, without(segments, middle))), plain, middle);

        const [i, j] = [a % n, b % n];
        if (i !== j) {
          const swapped = [...segments];
          [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
          expectRefused(await decrypt(key, join(header, swapped)), plain, Math.min(i, j));
        }
        expectRefused(await decrypt(key, join(header, inserted(segments, i, segments[i]!))), plain, i + 1);
      }),
      { numRuns: 60 },
    );
  });

  it("detects a segment moved in from another file, or from another version of the same document", async () => {
    await fc.assert(
      fc.asyncProperty(plainOf(2), fc.nat(), async (plain, a) => {
        const sealed = split(await encrypt(key, plain));
        const i = a % sealed.segments.length;
        // Same key, same binding, same length: only the per-file salt and nonce prefix differ.
        const other = split(await encrypt(key, randomBytes(plain.length)));
        expectRefused(await decrypt(key, join(sealed.header, replaced(sealed.segments, i, other.segments[i]!))), plain, i);
        const v2 = { ...doc, version: 2 };
        const older = split(await encrypt(key, plain, doc));
        const newer = split(await encrypt(key, plain, v2));
        expectRefused(await decrypt(key, join(newer.header, replaced(newer.segments, i, older.segments[i]!)), v2), plain, i);
        // The whole file of version 1 presented as version 2 fails too.
        expectRefused(await decrypt(key, join(older.header, older.segments), v2), plain, 0);
      }),
      { numRuns: 60 },
    );
  });

  it("detects any flipped bit in the header, a ciphertext or a tag", async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(6 * S), fc.nat(), fc.nat(7), async (size, at, bit) => {
        const plain = randomBytes(size);
        const sealed = Buffer.from(await encrypt(key, plain));
        const byte = at % sealed.length;
        sealed[byte]! ^= 1 << bit;
        const segment = byte < FILE_HEADER_BYTES ? 0 : Math.floor((byte - FILE_HEADER_BYTES) / (S + TAG));
        expectRefused(await decrypt(key, sealed), plain, segment);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses another document id, version or key, and a stream without its header", async () => {
    const plain = randomBytes(3 * S + 5);
    const sealed = await encrypt(key, plain);
    expectRefused(await decrypt(key, sealed, { documentId: "doc-2", version: 1 }), plain, 0);
    expectRefused(await decrypt(key, sealed, { documentId: "doc-1", version: 0 }), plain, 0);
    expectRefused(await decrypt(randomBytes(32), sealed), plain, 0);
    const empty = await decrypt(key, Buffer.alloc(0));
    expect((empty.error as FileIntegrityError).reason).toBe("header");
    const headerOnly = await decrypt(key, sealed.subarray(0, FILE_HEADER_BYTES));
    expect((headerOnly.error as FileIntegrityError).reason).toBe("truncated");
  });

  it("says what failed with a code and a segment number only", async () => {
    const plain = Buffer.from("王小明 110105198506120011 ".repeat(4), "utf8");
    const sealed = Buffer.from(await encrypt(key, plain));
    sealed[FILE_HEADER_BYTES + 2 * (S + TAG) + 3]! ^= 0x80;
    const { error } = await decrypt(key, sealed);
    expect(error).toMatchObject({ code: "file_integrity", reason: "segment", segment: 2 });
    expect(String((error as Error).message)).not.toMatch(/王|1101/);
  });
});

describe("vault: per-document file keys wrapped by the client's data key", () => {
  let vault: Vault;
  const memoryKey: KeyProvider = { description: "memory", masterKey: async () => randomBytes(32) };
  beforeAll(async () => {
    vault = await Vault.open(memoryKey);
    await vault.createKek(1);
  });
  const through = (stream: NodeJS.ReadWriteStream, bytes: Buffer) => run(stream, [bytes]);

  it("encrypts and decrypts at the real segment size under a wrapped file key", async () => {
    const { dataKey } = vault.newDataKey("client-1", 1);
    const wrapped = vault.newFileKey(dataKey, "doc-9");
    const plain = randomBytes(200 * 1024 + 7);
    const sealed = await through(vault.fileEncryptor(dataKey, wrapped, { documentId: "doc-9", version: 3 }), plain);
    expect(sealed.error).toBeNull();
    expect(sealed.out.length).toBe(FILE_HEADER_BYTES + plain.length + 4 * TAG);
    const opened = await through(vault.fileDecryptor(dataKey, wrapped, { documentId: "doc-9", version: 3 }), sealed.out);
    expect(opened.error).toBeNull();
    expect(opened.out.equals(plain)).toBe(true);
  });

  it("refuses a file key under another client's data key or for another document", () => {
    const { dataKey } = vault.newDataKey("client-1", 1);
    const { dataKey: otherClient } = vault.newDataKey("client-2", 1);
    const wrapped = vault.newFileKey(dataKey, "doc-9");
    expect(() => vault.fileDecryptor(otherClient, wrapped, { documentId: "doc-9", version: 1 })).toThrow(FileIntegrityError);
    expect(() => vault.fileDecryptor(dataKey, wrapped, { documentId: "doc-8", version: 1 })).toThrow(FileIntegrityError);
    expect(wrapped.length).toBe(1 + 12 + 16 + 32);
  });
});

describe("file cipher: constant memory", () => {
  it("encrypts and decrypts 200 MiB through the streams with RSS growth under 64 MiB", async () => {
    const MiB = 1024 * 1024;
    const total = 200;
    const block = randomBytes(MiB);
    const expected = createHash("sha256");
    for (let i = 0; i < total; i++) expected.update(block);
    const key = randomBytes(32);
    const binding = { documentId: "big", version: 1 };
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < total; i++) yield block;
      })(),
    );
    const actual = createHash("sha256");
    const base = process.memoryUsage.rss();
    let peak = base;
    let seen = 0;
    await pipeline(
      source,
      createFileEncryptor(key, binding),
      createFileDecryptor(key, binding),
      new Writable({
        write(chunk: Buffer, _e, done) {
          actual.update(chunk);
          seen += chunk.length;
          if (seen % (4 * MiB) < chunk.length) peak = Math.max(peak, process.memoryUsage.rss());
          done();
        },
      }),
    );
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(seen).toBe(total * MiB);
    expect(actual.digest("hex")).toBe(expected.digest("hex"));
    expect(peak - base).toBeLessThan(64 * MiB);
  }, 30_000);
});
