/**
 * Just enough of the ZIP format to tell OOXML documents apart from their first bytes and to refuse
 * archives that would expand beyond a limit before any parser inflates them.
 */

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const DATA_DESCRIPTOR_FLAG = 0x08;

/**
 * Entry names from the local headers within `head` (a prefix of the file). An entry whose sizes
 * follow its data (flag bit 3) cannot be stepped over, so the walk resumes at the next signature.
 */
export function localEntryNames(head: Uint8Array): string[] {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const decoder = new TextDecoder("utf-8", { fatal: false });
  const names: string[] = [];
  let at = 0;
  while (at + 30 <= head.length && names.length < 200) {
    if (view.getUint32(at, true) !== LOCAL_HEADER) {
      const next = indexOfSignature(head, at + 1);
      if (next < 0) break;
      at = next;
      continue;
    }
    const flags = view.getUint16(at + 6, true);
    const compressed = view.getUint32(at + 18, true);
    const nameLength = view.getUint16(at + 26, true);
    const extraLength = view.getUint16(at + 28, true);
    const nameEnd = Math.min(head.length, at + 30 + nameLength);
    names.push(decoder.decode(head.subarray(at + 30, nameEnd)));
    at = flags & DATA_DESCRIPTOR_FLAG ? at + 30 + nameLength : at + 30 + nameLength + extraLength + compressed;
  }
  return names;
}

function indexOfSignature(bytes: Uint8Array, from: number): number {
  for (let i = from; i + 4 <= bytes.length; i++) {
    if (bytes[i] === 0x50 && bytes[i + 1] === 0x4b && bytes[i + 2] === 0x03 && bytes[i + 3] === 0x04) return i;
  }
  return -1;
}

/**
 * The sum of the uncompressed sizes the central directory declares, or null when there is no
 * readable directory. A ZIP64 size (0xFFFFFFFF) counts as infinite: office documents never need it.
 * Declared sizes can lie; the parsers then fail their own size and CRC checks.
 */
export function declaredExpandedSize(zip: Uint8Array): number | null {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // The end record is the last 22 bytes plus a comment of at most 65535 bytes.
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_CENTRAL) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  if (entries === 0xffff || at === 0xffffffff) return Number.POSITIVE_INFINITY;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== CENTRAL_HEADER) return null;
    const size = view.getUint32(at + 24, true);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY;
    total += size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}
