import { randomBytes } from "node:crypto";

// Pool of CSPRNG bytes: a randomBytes call per id costs more than the rest of the id.
let pool = Buffer.alloc(0);
let offset = 0;

/**
 * UUID version 7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Time-ordered ids keep
 * B-tree inserts at the right edge of the index, which matters for bulk imports and the audit log.
 */
export function uuidv7(now = Date.now()): string {
  if (offset + 10 > pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  pool.copy(b, 6, offset, offset + 10);
  offset += 10;
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
