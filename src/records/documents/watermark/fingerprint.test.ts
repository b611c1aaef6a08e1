import { existsSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CJK_FONT, makePdf } from "../content/fixtures.js";
import { encodeCopyToken } from "./copy-token.js";
import { readFingerprints } from "./fingerprint.js";
import { watermarkPdf } from "./watermark.js";

const ID = Buffer.from("0f1e2d3c4b5a69788796a5b4c3d2e1f0", "hex");

describe("readFingerprints on arbitrary input", () => {
  it("never throws and never finds a fingerprint in random bytes, PDF-, ZIP- or text-looking", async () => {
    const prefixes = fc.constantFrom(new Uint8Array(), Buffer.from("%PDF-1.7\n"), Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from("CSTD-"));
    await fc.assert(
      fc.asyncProperty(prefixes, fc.uint8Array({ maxLength: 4096 }), async (prefix, body) => {
        expect(await readFingerprints(Buffer.concat([prefix, body]))).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("finds a token in a plain-text leak (an extraction pasted into a file)", async () => {
    const text = Buffer.from(`第一页\n合同协议\n${encodeCopyToken(ID)}\n`);
    expect(await readFingerprints(text)).toEqual([{ copyId: ID, layer: "invisible_text" }]);
  });
});

describe.skipIf(!existsSync(CJK_FONT))("readFingerprints on damaged copies", async () => {
  const original = await makePdf([["合同协议 第一页"], ["第二页"]]);
  const copy = await watermarkPdf(original, { lines: ["保密 · 张三 · 2026/12/6 13:45（北京时间）"], copyId: ID });

  it("never throws on a truncated or corrupted copy and finds no id but the copy's own", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: copy.length - 1 }),
        fc.array(fc.tuple(fc.nat(copy.length - 1), fc.nat(255)), { maxLength: 8 }),
        async (cut, flips) => {
          const damaged = Buffer.from(copy.subarray(0, cut));
          for (const [at, value] of flips) if (at < damaged.length) damaged[at] = value;
          for (const found of await readFingerprints(damaged)) expect(found.copyId).toEqual(ID);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("finds nothing in a truncated unmarked original", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: original.length }), async (cut) => {
        expect(await readFingerprints(original.subarray(0, cut))).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});
