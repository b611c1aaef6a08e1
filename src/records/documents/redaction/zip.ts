/**
 * Office packages in and out. Entries are inflated as streams against a budget, so a small file that
 * would expand to gigabytes (a ZIP bomb) is refused before it fills memory.
 */
import type { Readable } from "node:stream";
import JSZip from "jszip";
import { RedactionError } from "./errors.js";

/** Expanded bytes allowed for one package, nested packages included. */
export const EXPANDED_LIMIT = 512 * 1024 * 1024;

export interface Budget {
  left: number;
}

// A password-protected Office file is an OLE compound file around the encrypted package, not a ZIP.
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Entry name to bytes, in the package's order; directories left out. */
export async function readPackage(bytes: Uint8Array, budget: Budget): Promise<Map<string, Buffer>> {
  if (Buffer.from(bytes.subarray(0, 8)).equals(OLE_MAGIC)) throw new RedactionError("redaction_encrypted");
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  } catch {
    throw new RedactionError("redaction_corrupt");
  }
  const entries = new Map<string, Buffer>();
  for (const file of Object.values(zip.files)) {
    if (!file.dir) entries.set(file.name, await inflate(file, budget));
  }
  return entries;
}

// jszip's node stream is an old readable-stream (events, not async iteration).
function inflate(file: JSZip.JSZipObject, budget: Budget): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const stream = file.nodeStream("nodebuffer") as Readable;
    const chunks: Buffer[] = [];
    let failed = false;
    const fail = (code: "redaction_too_large" | "redaction_corrupt") => {
      if (failed) return;
      failed = true;
      stream.pause();
      stream.removeAllListeners("data");
      reject(new RedactionError(code));
    };
    stream.on("data", (chunk: Buffer) => {
      budget.left -= chunk.length;
      if (budget.left < 0) fail("redaction_too_large");
      else chunks.push(chunk);
    });
    stream.on("error", () => fail("redaction_corrupt"));
    stream.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
  });
}

export async function writePackage(entries: ReadonlyMap<string, Uint8Array>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of entries) zip.file(name, data, { compression: "DEFLATE", compressionOptions: { level: 6 } });
  return zip.generateAsync({ type: "nodebuffer", platform: "UNIX" });
}
