/**
 * Images (PNG, JPEG): text is recognised with tesseract, the spans to remove are found in it, and
 * opaque black boxes are burned into the pixels over their words. The image is decoded and encoded
 * again with jimp, so no metadata of the original (EXIF with GPS and camera, comments, XMP) survives.
 */
import { Jimp } from "jimp";
import { RedactionError } from "./errors.js";
import { type Box, boxesFor, recognise } from "./ocr.js";
import { findSpans, type RedactionPolicy, type RemovedCounts } from "./policy.js";

/** Decoded pixels allowed (RGBA, 4 bytes each): 100 megapixels, an A4 page at 1200 dpi. */
const MAX_PIXELS = 100_000_000;

export type ImageType = "image/png" | "image/jpeg";

export async function redactImage(bytes: Buffer, type: ImageType, policy: RedactionPolicy): Promise<{ bytes: Buffer; removed: RemovedCounts }> {
  const size = imageSize(bytes);
  if (size === null) throw new RedactionError("redaction_corrupt");
  if (size.width * size.height > MAX_PIXELS) throw new RedactionError("redaction_too_large");
  let image: Awaited<ReturnType<typeof Jimp.fromBuffer>>;
  try {
    image = await Jimp.fromBuffer(bytes);
  } catch {
    throw new RedactionError("redaction_corrupt");
  }
  // Recognised from the decoded pixels, so the boxes fit what is burned (jimp applies EXIF rotation).
  const page = await recognise(await image.getBuffer("image/png"));
  const removed: RemovedCounts = {};
  const boxes: Box[] = [];
  for (const s of findSpans(page.text, policy, { ocr: true })) {
    removed[s.kind] = (removed[s.kind] ?? 0) + 1;
    boxes.push(...boxesFor(page, s.start, s.end));
  }
  burn(image.bitmap, boxes);
  const out = type === "image/png" ? await image.getBuffer("image/png") : await image.getBuffer("image/jpeg", { quality: 90 });
  return { bytes: out, removed };
}

/** Opaque black over each box, clipped to the image. */
export function burn(bitmap: { width: number; height: number; data: Buffer | Uint8Array }, boxes: readonly Box[]): void {
  for (const b of boxes) {
    const x0 = Math.max(0, b.left);
    const y0 = Math.max(0, b.top);
    const x1 = Math.min(bitmap.width, b.left + b.width);
    const y1 = Math.min(bitmap.height, b.top + b.height);
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * bitmap.width + x) * 4;
        bitmap.data[i] = 0;
        bitmap.data[i + 1] = 0;
        bitmap.data[i + 2] = 0;
        bitmap.data[i + 3] = 255;
      }
    }
  }
}

/** Width and height from the PNG header or a JPEG frame marker, read before anything is decoded. */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString("latin1", 12, 16) === "IHDR") {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  for (let at = 2; at + 9 < b.length; ) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Start-of-frame markers (baseline, progressive, lossless …), not DHT (C4), JPG (C8) or DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { width: b.readUInt16BE(at + 7), height: b.readUInt16BE(at + 5) };
    }
    at += 2 + b.readUInt16BE(at + 2);
  }
  return null;
}
