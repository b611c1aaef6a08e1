import { Jimp } from "jimp";
import { afterAll, describe, expect, it } from "vitest";
import { CANARY } from "./fixtures.js";
import { RedactionError, redactDocument } from "./index.js";

describe("redactDocument: dispatch and errors", () => {
  it("refuses media types it cannot redact", async () => {
    for (const type of ["application/zip", "image/tiff", "application/octet-stream", ""]) {
      await expect(redactDocument(Buffer.from("x"), type)).rejects.toMatchObject({ code: "redaction_unsupported" });
    }
  });

  it("reads the media type's essence and charset, whatever their case", async () => {
    const gbk = Buffer.from([0xca, 0xd6, 0xbb, 0xfa, 0x20, ...Buffer.from(CANARY.mobile)]);
    const copy = await redactDocument(gbk, "Text/Plain; Charset=GBK");
    expect(copy.bytes.toString("utf8")).toBe("手机 [已删除]");
    expect(copy.mediaType).toBe("text/plain; charset=utf-8");
  });

  it("fails with a code and a fixed message, never the document's content", async () => {
    const error = await redactDocument(Buffer.from(`姓名：${CANARY.name} ${CANARY.mobile}`), "text/plain", { replacement: CANARY.mobile }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RedactionError);
    expect(error).toMatchObject({ code: "redaction_replacement_invalid" });
    expect(String((error as Error).message)).not.toContain(CANARY.mobile);
    expect((error as Error).cause).toBeUndefined();
  });
});

describe("redactDocument: without tesseract", () => {
  const path = process.env.PATH;
  afterAll(() => {
    process.env.PATH = path;
  });

  it("refuses an image with redaction_ocr_unavailable", async () => {
    const png = await new Jimp({ width: 8, height: 8, color: 0xffffffff }).getBuffer("image/png");
    // This file runs in its own process: the memoised availability check sees no tesseract.
    process.env.PATH = "/nonexistent";
    await expect(redactDocument(png, "image/png")).rejects.toMatchObject({ code: "redaction_ocr_unavailable" });
  });
});
