import { randomUUID } from "node:crypto";
import { constants } from "node:fs";
import { type FileHandle, link, lstat, mkdir, open, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { type BlobStore, BlobExistsError, blobKeySegments, BlobNotFoundError, bytesOf } from "./blob-store.js";

/** Writes go out in blocks of this size: the encryptor yields 64 KiB bodies and 16-byte tags. */
const WRITE_BLOCK = 1024 * 1024;
const READ_BLOCK = 256 * 1024;
/** Unfinished uploads; no key can name it (keys start with a letter or digit). */
const INCOMING = ".incoming";

const isCode = (error: unknown, code: string) => (error as NodeJS.ErrnoException)?.code === code;

/**
 * The default store: files under <data dir>/blobs/, one per key. A put writes a temporary file
 * (mode 0600), fsyncs it, then links it into place, which fails if the key exists: the blob
 * appears whole or not at all, and never replaces another. Directories are 0700.
 */
export class FileBlobStore implements BlobStore {
  readonly #root: string;
  #ready: Promise<void> | null = null;

  constructor(dataDir: string) {
    this.#root = join(dataDir, "blobs");
  }

  #path(key: string): string {
    return join(this.#root, ...blobKeySegments(key));
  }

  #prepare(): Promise<void> {
    this.#ready ??= mkdir(join(this.#root, INCOMING), { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.#ready;
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | Readable): Promise<{ bytes: number }> {
    const target = this.#path(key);
    await this.#prepare();
    // Refused before the source is read; the link below settles a race.
    if (await this.exists(key)) throw new BlobExistsError();
    const temp = join(this.#root, INCOMING, randomUUID());
    let handle: FileHandle | null = await open(temp, "wx", 0o600);
    try {
      let bytes = 0;
      let block: Buffer[] = [];
      let blockBytes = 0;
      for await (const chunk of bytesOf(source)) {
        block.push(chunk);
        blockBytes += chunk.length;
        if (blockBytes >= WRITE_BLOCK) {
          await writeAll(handle, Buffer.concat(block, blockBytes));
          bytes += blockBytes;
          block = [];
          blockBytes = 0;
        }
      }
      await writeAll(handle, Buffer.concat(block, blockBytes));
      bytes += blockBytes;
      await handle.sync();
      await handle.close();
      handle = null;
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      try {
        await link(temp, target);
      } catch (error) {
        if (isCode(error, "EEXIST")) throw new BlobExistsError();
        throw error;
      }
      await syncDirectory(dirname(target));
      return { bytes };
    } finally {
      await handle?.close().catch(() => {});
      await rm(temp, { force: true });
    }
  }

  get(key: string): Readable {
    const path = this.#path(key);
    return Readable.from(readFile(path), { objectMode: false, highWaterMark: READ_BLOCK });
  }

  async delete(key: string): Promise<boolean> {
    const path = this.#path(key);
    try {
      await unlink(path);
      return true;
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return false;
      throw error;
    }
  }

  async exists(key: string): Promise<boolean> {
    const path = this.#path(key);
    try {
      return (await lstat(path)).isFile();
    } catch (error) {
      if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR")) return false;
      throw error;
    }
  }
}

async function writeAll(handle: FileHandle, buffer: Buffer): Promise<void> {
  for (let at = 0; at < buffer.length; ) {
    const { bytesWritten } = await handle.write(buffer, at, buffer.length - at);
    at += bytesWritten;
  }
}

/** Makes the new directory entry durable: without it a crash may lose a blob the caller was told is stored. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function* readFile(path: string): AsyncGenerator<Buffer> {
  let handle: FileHandle;
  try {
    // No symlinks: a blob is a plain file the store wrote.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isCode(error, "ENOENT") || isCode(error, "ENOTDIR") || isCode(error, "ELOOP")) throw new BlobNotFoundError();
    throw error;
  }
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_BLOCK);
      const { bytesRead } = await handle.read(buffer, 0, READ_BLOCK, null);
      if (bytesRead === 0) return;
      yield bytesRead === READ_BLOCK ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
