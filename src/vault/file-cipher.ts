/**
 * The file format of client documents (issue #11): segmented AES-256-GCM, streamed, in the manner
 * of Tink's AES-GCM-HKDF streaming AEAD and age's STREAM. Only the vault calls this module; the key
 * it takes is a per-document file key the vault unwraps with the client's data key.
 *
 * Layout: header ‖ segment 0 ‖ … ‖ segment n-1, never fewer than one segment.
 * - header (24 bytes): format version (0x01) ‖ salt (16 random bytes) ‖ nonce prefix (7 random bytes).
 * - segment i: AES-256-GCM of up to 64 KiB of plaintext ‖ its 16-byte tag. Every segment but the
 *   last holds exactly the segment size; the last holds 0 … segment size (an empty file is one empty
 *   last segment).
 * - segment key: HKDF-SHA-256(file key, salt, "custodia/file-segment/v1"): each file (each version)
 *   encrypts under a key of its own, so nonces never repeat under one key across files.
 * - nonce: prefix ‖ i (32-bit big-endian) ‖ last flag (0x00 or 0x01).
 * - associated data: label ‖ document id ‖ version ‖ header ‖ i ‖ last flag, so a segment dropped,
 *   repeated, reordered, cut off at the end, or taken from another file or version fails its tag.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export const FILE_FORMAT_V1 = 0x01;
/** Plaintext bytes per segment: large enough for throughput, small enough to buffer until verified. */
export const SEGMENT_BYTES = 64 * 1024;
const SALT_BYTES = 16;
const PREFIX_BYTES = 7;
export const FILE_HEADER_BYTES = 1 + SALT_BYTES + PREFIX_BYTES;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** The counter is 32 bits: 2^32 segments of 64 KiB is 256 TiB per file. */
const MAX_SEGMENTS = 2 ** 32;
const LABEL = Buffer.from("custodia/file/v1\0", "utf8");
const SEGMENT_KEY_INFO = Buffer.from("custodia/file-segment/v1", "utf8");

/** Which document version a file is. Authenticated in every segment, never stored in the file. */
export interface FileBinding {
  documentId: string;
  version: number;
}

export interface FileCipherOptions {
  /** Plaintext bytes per segment; tests use small ones. Both sides must agree. */
  segmentBytes?: number;
}

/** Why a file failed: a code for the audit event, never any content. */
export type FileIntegrityReason = "header" | "segment" | "truncated" | "key";

/**
 * A file cannot be decrypted as the document version it claims to be: tampered, truncated,
 * swapped, or under another key. Segments before the failing one have been released (each was
 * verified); nothing of the failing segment or after it is.
 */
export class FileIntegrityError extends Error {
  readonly code = "file_integrity";
  constructor(
    readonly reason: FileIntegrityReason,
    /** The segment that failed, where there is one. */
    readonly segment: number | null = null,
  ) {
    super(`The file failed its integrity check (${reason}).`);
    this.name = "FileIntegrityError";
  }
}

/** Chunks as they arrived; `take` hands out views of exactly n bytes without copying. */
class ByteQueue {
  #chunks: Buffer[] = [];
  length = 0;

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.length += chunk.length;
  }

  take(n: number): Buffer[] {
    const out: Buffer[] = [];
    let need = n;
    while (need > 0) {
      const head = this.#chunks[0]!;
      if (head.length <= need) {
        out.push(head);
        this.#chunks.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        this.#chunks[0] = head.subarray(need);
        need = 0;
      }
    }
    this.length -= n;
    return out;
  }
}

function segmentSize(options: FileCipherOptions): number {
  const size = options.segmentBytes ?? SEGMENT_BYTES;
  if (!Number.isInteger(size) || size < 1 || size > 16 * 1024 * 1024) throw new RangeError("segmentBytes must be 1 … 16 MiB");
  return size;
}

/** The binding's part of the associated data, checked before any byte flows. */
function encodeBinding(binding: FileBinding): Buffer {
  const id = Buffer.from(binding.documentId, "utf8");
  if (id.length === 0 || id.length > 0xffff) throw new RangeError("documentId must be 1 … 65535 bytes");
  if (!Number.isInteger(binding.version) || binding.version < 0 || binding.version > 0xffffffff)
    throw new RangeError("version must be a 32-bit unsigned integer");
  // Length-prefixed id: no two bindings share an encoding.
  const length = Buffer.alloc(2);
  length.writeUInt16BE(id.length);
  const version = Buffer.alloc(4);
  version.writeUInt32BE(binding.version);
  return Buffer.concat([LABEL, length, id, version]);
}

/**
 * Per-file state shared by both directions: the segment key, and reusable nonce and associated-data
 * buffers whose last five bytes (counter, flag) change per segment.
 */
class SegmentCrypto {
  readonly key: Buffer;
  readonly #nonce = Buffer.alloc(12);
  readonly #aad: Buffer;
  index = 0;

  constructor(fileKey: Buffer, header: Buffer, bound: Buffer) {
    if (fileKey.length !== KEY_BYTES) throw new RangeError("a file key is 32 bytes");
    this.key = Buffer.from(hkdfSync("sha256", fileKey, header.subarray(1, 1 + SALT_BYTES), SEGMENT_KEY_INFO, KEY_BYTES));
    header.copy(this.#nonce, 0, 1 + SALT_BYTES, FILE_HEADER_BYTES);
    this.#aad = Buffer.concat([bound, header, Buffer.alloc(5)]);
  }

  /** Nonce and associated data of the current segment. */
  next(last: boolean): { nonce: Buffer; aad: Buffer } {
    if (this.index >= MAX_SEGMENTS) throw new RangeError("file too large for one stream");
    this.#nonce.writeUInt32BE(this.index, PREFIX_BYTES);
    this.#nonce[11] = last ? 1 : 0;
    this.#aad.writeUInt32BE(this.index, this.#aad.length - 5);
    this.#aad[this.#aad.length - 1] = last ? 1 : 0;
    return { nonce: this.#nonce, aad: this.#aad };
  }
}

/** Encrypts a plaintext stream of any length into the format above, one segment in memory at most. */
export function createFileEncryptor(fileKey: Buffer, binding: FileBinding, options: FileCipherOptions = {}): Transform {
  const size = segmentSize(options);
  const header = Buffer.concat([Buffer.of(FILE_FORMAT_V1), randomBytes(SALT_BYTES + PREFIX_BYTES)]);
  const segments = new SegmentCrypto(fileKey, header, encodeBinding(binding));
  const queue = new ByteQueue();
  let started = false;

  const seal = (stream: Transform, pieces: Buffer[], last: boolean) => {
    const { nonce, aad } = segments.next(last);
    const cipher = createCipheriv("aes-256-gcm", segments.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    for (const p of pieces) {
      const out = cipher.update(p);
      if (out.length > 0) stream.push(out);
    }
    cipher.final(); // GCM has no buffered bytes: nothing to push
    stream.push(cipher.getAuthTag());
    segments.index += 1;
  };
  const start = (stream: Transform) => {
    if (started) return;
    started = true;
    stream.push(header);
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        start(this);
        queue.push(chunk);
        // A full segment goes out only once a byte after it exists: then it is surely not the last.
        while (queue.length > size) seal(this, queue.take(size), false);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        start(this);
        seal(this, queue.take(queue.length), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}

/**
 * Decrypts the format above. A segment's plaintext is pushed only after its tag verified; a stream
 * that ends without a last segment (cut at a segment boundary) fails. Errors are FileIntegrityError.
 */
export function createFileDecryptor(fileKey: Buffer, binding: FileBinding, options: FileCipherOptions = {}): Transform {
  const size = segmentSize(options);
  if (fileKey.length !== KEY_BYTES) throw new RangeError("a file key is 32 bytes");
  // The segment key needs the header's salt: keep a copy of the file key until the header arrives.
  const key = Buffer.from(fileKey);
  const bound = encodeBinding(binding);
  const queue = new ByteQueue();
  let segments: SegmentCrypto | null = null;

  const open = (stream: Transform, crypto: SegmentCrypto, pieces: Buffer[], last: boolean) => {
    const bodyBytes = pieces.reduce((n, p) => n + p.length, 0) - TAG_BYTES;
    const staged = new ByteQueue();
    for (const p of pieces) staged.push(p);
    const body = staged.take(bodyBytes);
    const tag = Buffer.concat(staged.take(TAG_BYTES));
    const { nonce, aad } = crypto.next(last);
    const decipher = createDecipheriv("aes-256-gcm", crypto.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    // Held back until final() has checked the tag: unverified plaintext never leaves.
    const plain = body.map((p) => decipher.update(p));
    try {
      decipher.final();
    } catch {
      throw new FileIntegrityError("segment", crypto.index);
    }
    for (const p of plain) if (p.length > 0) stream.push(p);
    crypto.index += 1;
  };

  const readHeader = (): SegmentCrypto | null => {
    if (queue.length < FILE_HEADER_BYTES) return null;
    const header = Buffer.concat(queue.take(FILE_HEADER_BYTES));
    if (header[0] !== FILE_FORMAT_V1) throw new FileIntegrityError("header");
    const crypto = new SegmentCrypto(key, header, bound);
    key.fill(0);
    return crypto;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        queue.push(chunk);
        segments ??= readHeader();
        // More than a whole segment buffered: the first one is surely not the last.
        if (segments) while (queue.length > size + TAG_BYTES) open(this, segments, queue.take(size + TAG_BYTES), false);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        segments ??= readHeader();
        if (!segments) throw new FileIntegrityError("header");
        // Nothing left (or less than a tag) after whole segments: the last segment is missing.
        if (queue.length < TAG_BYTES) throw new FileIntegrityError("truncated", segments.index);
        open(this, segments, queue.take(queue.length), true);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
