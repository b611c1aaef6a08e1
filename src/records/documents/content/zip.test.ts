import fc from "fast-check";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { declaredExpandedSize, localEntryNames } from "./zip.js";

async function zipOf(files: Record<string, string>, streamFiles = false): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", streamFiles });
}

describe("zip: entry names and declared sizes", () => {
  it("lists local entry names, also past entries whose sizes follow their data", async () => {
    const files = { "word/document.xml": "<w:document/>".repeat(50), "docProps/app.xml": "<app/>" };
    for (const stream of [false, true]) {
      expect(localEntryNames(await zipOf(files, stream))).toEqual(["word/", "word/document.xml", "docProps/", "docProps/app.xml"]);
    }
  });

  it("sums the uncompressed sizes the central directory declares", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.stringMatching(/^[a-z]{1,8}\.xml$/), fc.string({ maxLength: 3000 }), { maxKeys: 6 }), async (files) => {
        const expected = Object.values(files).reduce((n, s) => n + Buffer.byteLength(s), 0);
        expect(declaredExpandedSize(await zipOf(files))).toBe(expected);
      }),
      { numRuns: 50 },
    );
  });

  it("finds the end record behind a comment and gives null without one", async () => {
    const zip = new JSZip();
    zip.file("a.txt", "abc");
    const commented = await zip.generateAsync({ type: "nodebuffer", comment: "c".repeat(1000) });
    expect(declaredExpandedSize(commented)).toBe(3);
    expect(declaredExpandedSize(Buffer.from("not a zip at all"))).toBeNull();
  });

  it("never throws on arbitrary or damaged bytes", async () => {
    const real = await zipOf({ "xl/workbook.xml": "<workbook/>", "xl/worksheets/sheet1.xml": "<sheet/>" });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), (random, at, cut, value) => {
        localEntryNames(random);
        declaredExpandedSize(random);
        const damaged = Uint8Array.from(real.subarray(0, 1 + (cut % real.length)));
        damaged[at % damaged.length] = value;
        localEntryNames(damaged);
        const size = declaredExpandedSize(damaged);
        expect(size === null || size >= 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
