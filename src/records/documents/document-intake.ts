/**
 * Streaming an upload into the blob store: the plaintext passes once through a meter (size limit,
 * the head for media-type sniffing, the keyed MAC, and a copy kept for the scan while small
 * enough), then the vault's encryptor, then the store. Memory stays bounded for any size: the scan
 * copy is dropped past SCAN_MAX_BYTES or as soon as the head shows a type the scan cannot read, and
 * the stores hold at most a chunk.
 */
import { pipeline, type Readable, Transform, type TransformCallback } from "node:stream";
import { AppError } from "../../platform/errors.js";
import type { Services } from "../../platform/services.js";
import { sniffMediaType } from "./content/index.js";
import { SCAN_MAX_BYTES } from "./document.js";
import { isScannable } from "./document-scan.js";

export const DocumentTooLargeError = (maxBytes: number) =>
  new AppError(413, "document_too_large", `The file is larger than this firm's limit of ${maxBytes} bytes.`);
export const UploadIncompleteError = () => new AppError(400, "upload_incomplete", "The upload ended before the whole file arrived; send it again.");

/** The MAC purpose of document plaintext: equal files have equal MACs, only under this firm's key. */
export const CONTENT_MAC_PURPOSE = "document-content";
const HEAD_BYTES = 4100;

export interface Intake {
  sizeBytes: number;
  head: Buffer;
  /** The whole plaintext, or null past SCAN_MAX_BYTES. */
  plaintext: Buffer | null;
  contentMac: string;
}

class Meter extends Transform {
  size = 0;
  #head: Buffer[] = [];
  #headBytes = 0;
  #kept: Buffer[] | null = [];
  readonly #mac;

  constructor(
    services: Services,
    readonly maxBytes: number,
  ) {
    super();
    this.#mac = services.vault.macStream(CONTENT_MAC_PURPOSE);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      done(DocumentTooLargeError(this.maxBytes));
      return;
    }
    if (this.#headBytes < HEAD_BYTES) {
      this.#head.push(chunk.subarray(0, HEAD_BYTES - this.#headBytes));
      this.#headBytes += Math.min(chunk.length, HEAD_BYTES - this.#headBytes);
      if (this.#headBytes === HEAD_BYTES) this.#dropCopyUnlessScannable();
    }
    if (this.#kept && this.size <= SCAN_MAX_BYTES) this.#kept.push(chunk);
    else this.#kept = null;
    this.#mac.update(chunk);
    done(null, chunk);
  }

  #dropCopyUnlessScannable(): void {
    sniffMediaType(Buffer.concat(this.#head)).then(
      (type) => {
        if (!isScannable(type)) this.#kept = null;
      },
      () => {}, // the uploader sniffs again and answers for a failure
    );
  }

  result(): Intake {
    return { sizeBytes: this.size, head: Buffer.concat(this.#head), plaintext: this.#kept && Buffer.concat(this.#kept), contentMac: this.#mac.digest() };
  }
}

/**
 * Streams `content` through `encryptor` into the blob store under `blobKey`. On any failure (too
 * large, the client gone, the store) nothing stays under the key: the store's put is all or nothing.
 */
export async function intakeContent(services: Services, blobKey: string, encryptor: Transform, content: Readable): Promise<Intake> {
  const meter = new Meter(services, services.documentMaxBytes);
  let failure: Error | null = null;
  // pipeline destroys every stream on the first error, so the store's put sees its source fail.
  const ciphertext = pipeline(content, meter, encryptor, (error) => {
    if (error) failure = error;
  });
  try {
    await services.blobs.put(blobKey, ciphertext);
  } catch (error) {
    const cause = failure ?? error;
    if (cause instanceof AppError) throw cause;
    if ((content as { truncated?: boolean }).truncated || (cause as NodeJS.ErrnoException).code === "ERR_STREAM_PREMATURE_CLOSE") throw UploadIncompleteError();
    throw cause;
  }
  if ((content as { truncated?: boolean }).truncated) {
    await services.blobs.delete(blobKey);
    throw DocumentTooLargeError(services.documentMaxBytes);
  }
  return meter.result();
}
