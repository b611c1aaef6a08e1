import fc from "fast-check";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { DOCX, extractText, XLSX } from "../content/index.js";
import { CANARY, makeDocx, makeXlsx } from "../content/fixtures.js";
import { encodeCopyToken } from "./copy-token.js";
import { WatermarkError } from "./errors.js";
import { readFingerprints } from "./fingerprint.js";
import { CUSTOM_PROPERTY, fingerprintDocx, fingerprintXlsx, readOfficeFingerprints } from "./ooxml.js";

const ID_A = Buffer.from("00112233445566778899aabbccddeeff", "hex");
const ID_B = Buffer.alloc(16, 0xab);

async function part(pkg: Uint8Array, name: string): Promise<string | undefined> {
  return (await JSZip.loadAsync(pkg)).file(name)?.async("string");
}

describe("fingerprintDocx / fingerprintXlsx", async () => {
  const docx = await makeDocx({ paragraphs: [`姓名：${CANARY.name}`, "委托代理合同"] });
  const xlsx = await makeXlsx({ 客户: [[CANARY.name, "财务记录"]] });

  it("put the copy token in a custom property, registered in the relationships and content types", async () => {
    const marked = await fingerprintDocx(docx, ID_A);
    const custom = await part(marked, "docProps/custom.xml");
    expect(custom).toContain(`name="${CUSTOM_PROPERTY}"`);
    expect(custom).toContain(`<vt:lpwstr>${encodeCopyToken(ID_A)}</vt:lpwstr>`);
    expect(await part(marked, "_rels/.rels")).toMatch(/Type="[^"]*relationships\/custom-properties" Target="docProps\/custom.xml"/);
    expect(await part(marked, "[Content_Types].xml")).toContain('PartName="/docProps/custom.xml"');
    expect(await readFingerprints(marked)).toEqual([{ copyId: ID_A, layer: "metadata" }]);
    expect(await readFingerprints(docx)).toEqual([]);
  });

  it("leave the document readable with its content unchanged", async () => {
    const before = await extractText(Buffer.from(docx), DOCX, { ocr: false });
    const after = await extractText(Buffer.from(await fingerprintDocx(docx, ID_A)), DOCX, { ocr: false });
    expect(after.text).toBe(before.text);
    const sheet = await extractText(Buffer.from(await fingerprintXlsx(xlsx, ID_A)), XLSX, { ocr: false });
    expect(sheet.text).toContain("财务记录");
  });

  it("work for XLSX, and a second fingerprint replaces the first while keeping other custom properties", async () => {
    // exceljs writes no custom properties: the part, its relationship and its content type are added.
    expect(await part(xlsx, "docProps/custom.xml")).toBeUndefined();
    const zip = await JSZip.loadAsync(await fingerprintXlsx(xlsx, ID_A));
    const custom = (await zip.file("docProps/custom.xml")!.async("string")).replace(
      "</Properties>",
      '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="7" name="案号"><vt:lpwstr>(2026)京01民初1号</vt:lpwstr></property></Properties>',
    );
    zip.file("docProps/custom.xml", custom);
    const again = await fingerprintXlsx(await zip.generateAsync({ type: "uint8array" }), ID_B);
    const xml = (await part(again, "docProps/custom.xml"))!;
    expect(xml).toContain("(2026)京01民初1号");
    expect(xml).toContain('pid="8"');
    expect(xml.split(`name="${CUSTOM_PROPERTY}"`)).toHaveLength(2);
    expect(await readOfficeFingerprints(again)).toEqual([ID_B]);
    expect((await part(again, "_rels/.rels"))!.split("custom-properties")).toHaveLength(2);
    expect((await part(again, "[Content_Types].xml"))!.split("/docProps/custom.xml")).toHaveLength(2);
  });

  it("refuse what is not an office package with watermark_failed", async () => {
    const plain = new JSZip();
    plain.file("readme.txt", "hello");
    for (const bad of [Buffer.from("not a zip"), await plain.generateAsync({ type: "uint8array" })]) {
      const error = await fingerprintDocx(bad, ID_A).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WatermarkError);
      expect((error as WatermarkError).code).toBe("watermark_failed");
    }
  });

  it("round-trip any copy id", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 16 }), async (bytes) => {
        const copyId = Buffer.from(bytes);
        expect(await readOfficeFingerprints(await fingerprintDocx(docx, copyId))).toEqual([copyId]);
      }),
      { numRuns: 20 },
    );
  });
});
