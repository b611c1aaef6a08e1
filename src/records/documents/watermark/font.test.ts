import { existsSync, readFileSync } from "node:fs";
import fontkit from "@pdf-lib/fontkit";
import { describe, expect, it } from "vitest";
import { WatermarkError } from "./errors.js";
import { padGlyphs, STAMP_FONT_PATHS, stampFont, stampFontPath } from "./font.js";

type FontkitFont = ReturnType<typeof fontkit.create>;

/** fontkit's subset of `font` with the glyphs of `text`, parsed again. */
function subsetOf(font: FontkitFont, text: string): Promise<FontkitFont> {
  const subset = font.createSubset();
  for (const char of text) subset.includeGlyph(font.glyphForCodePoint(char.codePointAt(0)!));
  const chunks: Buffer[] = [];
  const stream = subset.encodeStream();
  return new Promise((resolve) => {
    stream.on("data", (chunk: Uint8Array) => chunks.push(Buffer.from(chunk)));
    stream.on("end", () => resolve(fontkit.create(Buffer.concat(chunks))));
  });
}

const installed = STAMP_FONT_PATHS.some((path) => existsSync(path));

describe("the stamp font", () => {
  it("is missing with a stable code when none of the known paths exists", () => {
    expect(() => stampFontPath(["/nonexistent/a.ttf", "/nonexistent/b.ttf"])).toThrow(WatermarkError);
    try {
      stampFontPath(["/nonexistent/a.ttf"]);
    } catch (error) {
      expect((error as WatermarkError).code).toBe("watermark_font_missing");
    }
  });

  it.skipIf(!installed)("is found on a Debian path and covers Chinese but not Latin (drawn in Helvetica)", () => {
    expect(STAMP_FONT_PATHS).toContain(stampFontPath());
    const font = stampFont();
    expect(font.covers("保".codePointAt(0)!)).toBe(true);
    expect(font.covers("2".codePointAt(0)!)).toBe(false);
  });

  it.skipIf(!installed)("subsets with every glyph intact once padded (fontkit alone garbles them)", async () => {
    const text = "保密张三北京时间请求仅限本人使用禁止复制转发";
    const original = fontkit.create(readFileSync(stampFontPath()));
    const padded = fontkit.create(padGlyphs(readFileSync(stampFontPath())));
    const outline = (font: FontkitFont, id: number) => font.getGlyph(id).path.toSVG();
    const expected = [...text].map((char) => outline(original, original.glyphForCodePoint(char.codePointAt(0)!).id));
    // Subset glyph ids: 0 is .notdef, then the included glyphs in order.
    const fixed = await subsetOf(padded, text);
    expect([...text].map((_, i) => outline(fixed, i + 1))).toEqual(expected);
    const broken = await subsetOf(original, text);
    const readable = [...text].map((_, i) => {
      try {
        return outline(broken, i + 1);
      } catch {
        return null;
      }
    });
    expect(readable).not.toEqual(expected);
  });
});
