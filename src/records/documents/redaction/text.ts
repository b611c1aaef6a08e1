/** Plain text: decoded (UTF-8, UTF-16 with a BOM, or GB 18030 as Chinese Windows writes), redacted, written as UTF-8. */
import { redactPieces } from "./pieces.js";
import type { RedactionPolicy, RemovedCounts } from "./policy.js";

export interface RedactedText {
  readonly bytes: Buffer;
  readonly removed: RemovedCounts;
}

export function decodeText(bytes: Uint8Array, charset: string | undefined): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder("utf-16le").decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder("utf-16be").decode(bytes);
  if (charset !== undefined) {
    try {
      return new TextDecoder(charset).decode(bytes);
    } catch {
      // An unknown label: fall through to what the bytes say.
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("gb18030").decode(bytes);
  }
}

export function redactText(text: string, policy: RedactionPolicy): { text: string; removed: RemovedCounts } {
  const result = redactPieces([{ text }], policy);
  return { text: result.texts[0]!, removed: result.removed };
}

export function redactPlainText(bytes: Uint8Array, charset: string | undefined, policy: RedactionPolicy): RedactedText {
  const { text, removed } = redactText(decodeText(bytes, charset), policy);
  return { bytes: Buffer.from(text, "utf8"), removed };
}
