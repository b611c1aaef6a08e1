/** `custodia files scan`: what the scan of an upload would find in a local file; nothing is stored or sent. */
import { open, readFile, stat } from "node:fs/promises";
import type { Level } from "../../access/policy/roles.js";
import { SNIFF_BYTES, sniffMediaType } from "./content/media-type.js";
import { CATEGORY_LEVELS, type DocumentCategory, effectiveLevel, SCAN_MAX_BYTES } from "./document.js";
import { scanDocument } from "./document-scan.js";
import type { PiiType } from "./pii/types.js";

export interface LocalScan {
  mediaType: string;
  sizeBytes: number;
  status: string;
  /** Per type: how many, by confidence, and on which pages; never the values. */
  findings: { type: PiiType; count: number; high: number; medium: number; low: number; pages: number[] }[];
  detectedLevel: Level | null;
  category: DocumentCategory;
  /** The level an upload in `category` would get: the category's default, raised by the findings. */
  level: Level;
}

/** What the scan of an upload would find in a local file, without storing or sending it anywhere. */
export async function scanLocalFile(path: string, category: DocumentCategory): Promise<LocalScan> {
  const size = (await stat(path)).size;
  const handle = await open(path, "r");
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const mediaType = await sniffMediaType(head);
  const bytes = size <= SCAN_MAX_BYTES ? await readFile(path) : null;
  const scan = await scanDocument(bytes, mediaType);
  bytes?.fill(0);
  const findings = Object.entries(scan.findings?.summary ?? {}).map(([type, counts]) => ({
    type: type as PiiType,
    ...counts,
    pages: [...new Set(scan.findings!.places.filter((p) => p.type === type).map((p) => p.page))].sort((a, b) => a - b),
  }));
  return {
    mediaType,
    sizeBytes: size,
    status: scan.status,
    findings,
    detectedLevel: scan.detectedLevel,
    category,
    level: effectiveLevel(CATEGORY_LEVELS[category], scan.detectedLevel),
  };
}
