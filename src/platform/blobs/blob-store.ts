/**
 * Where encrypted document files live (issue #11). A store holds opaque bytes under a key and knows
 * nothing of documents or keys: what reaches it is already ciphertext (src/vault/file-cipher.ts).
 *
 * Blobs are immutable: `put` on a key that exists is refused (BlobExistsError) and leaves the stored
 * blob as it was, so no bug or retry can silently replace a stored document version. A new version
 * is a new key. A `put` that fails leaves nothing under the key.
 */
import type { Readable } from "node:stream";

export interface BlobStore {
  /** Streams `source` in under `key`; visible under the key only once complete and durable. */
  put(key: string, source: AsyncIterable<Uint8Array> | Readable): Promise<{ bytes: number }>;
  /** Streams a blob out; the stream fails with BlobNotFoundError when there is none. */
  get(key: string): Readable;
  /** True when a blob was removed, false when there was none. */
  delete(key: string): Promise<boolean>;
  exists(key: string): Promise<boolean>;
}

/** Errors carry a stable code and never the key (keys may be built from ids a caller audits itself). */
export class BlobNotFoundError extends Error {
  readonly code = "blob_not_found";
  constructor() {
    super("No blob is stored under this key.");
    this.name = "BlobNotFoundError";
  }
}

export class BlobExistsError extends Error {
  readonly code = "blob_exists";
  constructor() {
    super("A blob is already stored under this key; blobs are never replaced.");
    this.name = "BlobExistsError";
  }
}

export class BlobKeyError extends Error {
  readonly code = "blob_key_invalid";
  constructor() {
    super("A blob key is 1 to 8 segments separated by '/', each 1 to 100 of A-Z a-z 0-9 . _ - starting with a letter or digit.");
    this.name = "BlobKeyError";
  }
}

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Checks a key and returns its segments. The grammar leaves no room for traversal: no empty, "."
 * or ".." segment, no leading "/", no backslash, NUL or other separator, and no leading "." or "~"
 * (the stores keep their own temporary entries there).
 */
export function blobKeySegments(key: string): string[] {
  if (typeof key !== "string" || key.length === 0 || key.length > 400) throw new BlobKeyError();
  const segments = key.split("/");
  if (segments.length > 8 || !segments.every((s) => SEGMENT.test(s))) throw new BlobKeyError();
  return segments;
}

/** Reads a source as Buffers whatever it yields (a Readable in byte mode, Uint8Arrays, Buffers). */
export async function* bytesOf(source: AsyncIterable<Uint8Array> | Readable): AsyncGenerator<Buffer> {
  for await (const chunk of source as AsyncIterable<unknown>) {
    if (Buffer.isBuffer(chunk)) yield chunk;
    else if (chunk instanceof Uint8Array) yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    else throw new TypeError("a blob source yields bytes only");
  }
}
