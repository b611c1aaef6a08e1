import fc from "fast-check";
import { Jimp } from "jimp";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { CANARY, makeDocx, makePdf, makeXlsx, renderPng } from "./fixtures.js";
import { DOCUMENT_MEDIA_TYPES, DOCX, isUtf8Text, SNIFF_BYTES, sniffMediaType, XLSX } from "./media-type.js";
import { localEntryNames } from "./zip.js";

const head = (bytes: Uint8Array) => bytes.subarray(0, SNIFF_BYTES);

describe("sniffMediaType: documents by their content", async () => {
  const docx = await makeDocx({ paragraphs: [`姓名：${CANARY.name}`, "x".repeat(5000)], table: [[CANARY.residentId, CANARY.mobile]] });
  const xlsx = await makeXlsx({ 客户: [[CANARY.name, CANARY.residentId, Number(CANARY.mobile)]] });
  const pdf = await makePdf([[`身份证号：${CANARY.residentId}`]]);
  const png = await renderPng(pdf, 1, 50);
  const jpeg = await (await Jimp.fromBuffer(png)).getBuffer("image/jpeg");
  const tiff = await (await Jimp.fromBuffer(png)).getBuffer("image/tiff");

  it("tells DOCX from XLSX from the first 4100 bytes, though the docx package writes [Content_Types].xml last", async () => {
    expect(docx.length).toBeGreaterThan(SNIFF_BYTES);
    expect(localEntryNames(head(docx))).not.toContain("[Content_Types].xml");
    expect(await sniffMediaType(head(docx))).toBe(DOCX);
    expect(await sniffMediaType(docx)).toBe(DOCX);
    expect(await sniffMediaType(head(xlsx))).toBe(XLSX);
  });

  it("recognises PDF, PNG, JPEG and TIFF", async () => {
    expect(await sniffMediaType(head(pdf))).toBe("application/pdf");
    expect(await sniffMediaType(head(png))).toBe("image/png");
    expect(await sniffMediaType(head(jpeg))).toBe("image/jpeg");
    expect(await sniffMediaType(head(tiff))).toBe("image/tiff");
  });

  it("gives other ZIPs, other binaries and the empty file what they are", async () => {
    const zip = new JSZip();
    zip.file("readme.txt", "hello");
    zip.file("word.txt", "not a word/ folder");
    expect(await sniffMediaType(head(await zip.generateAsync({ type: "uint8array" })))).toBe("application/octet-stream");
    expect(await sniffMediaType(Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]))).toBe("application/octet-stream"); // ELF
    expect(await sniffMediaType(new Uint8Array())).toBe("text/plain");
  });

  it("reads UTF-8 text, with or without a BOM, cut mid-character at the end of the head", async () => {
    expect(await sniffMediaType(Buffer.from(`姓名：${CANARY.name}\r\n身份证号：${CANARY.residentId}\n`))).toBe("text/plain");
    expect(await sniffMediaType(Buffer.from(`\ufeff委托人\t${CANARY.mobile}`))).toBe("text/plain");
    // 4100 = 1 + 3 × 1366 + 1: the head ends one byte into a three-byte character.
    const long = Buffer.from(`a${"张".repeat(2000)}`);
    expect(await sniffMediaType(long.subarray(0, SNIFF_BYTES))).toBe("text/plain");
    // A whole file may not end inside a character.
    expect(await sniffMediaType(Buffer.from("张").subarray(0, 2))).toBe("application/octet-stream");
    // Formats file-type knows that are text are text here (never rendered).
    expect(await sniffMediaType(Buffer.from('<?xml version="1.0"?><a>张三</a>'))).toBe("text/plain");
  });

  it("refuses as text: NUL, Latin-1, UTF-16, overlong forms and surrogates", async () => {
    for (const bytes of [
      Buffer.from("abc\0def"),
      Buffer.from("caf\xe9", "latin1"),
      Buffer.from("\ufeff张三", "utf16le"),
      Buffer.from([0xc0, 0xaf]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xf4, 0x90, 0x80, 0x80]),
    ]) {
      expect(await sniffMediaType(bytes)).toBe("application/octet-stream");
    }
  });

  it("never throws and always answers a member of the set", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (bytes) => {
        expect(DOCUMENT_MEDIA_TYPES).toContain(await sniffMediaType(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it("survives damaged magic: any truncation or byte flip of real files", async () => {
    const files = [docx, xlsx, pdf, png, jpeg, tiff].map((f) => Uint8Array.from(head(f)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 255 }), async (file, cut, at, value) => {
        const bytes = file.slice(0, 1 + (cut % file.length));
        bytes[at % bytes.length] = value;
        expect(DOCUMENT_MEDIA_TYPES).toContain(await sniffMediaType(bytes));
      }),
      { numRuns: 200 },
    );
  });

  it("a PDF header after a prefix is not a PDF", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (prefix) => {
        expect(await sniffMediaType(Buffer.concat([prefix, head(pdf)]))).not.toBe("application/pdf");
      }),
      { numRuns: 200 },
    );
  });

  it("text without control characters is text/plain", async () => {
    const char = fc.string({ unit: "grapheme", maxLength: 300 }).map((s) => s.replace(/[\u0000-\u0008\u000e-\u001a\u001c-\u001f\u007f]/g, ""));
    await fc.assert(
      fc.asyncProperty(char, fc.boolean(), async (text, bom) => {
        const bytes = Buffer.from((bom ? "\ufeff" : "") + text);
        expect(isUtf8Text(bytes)).toBe(true);
        expect(await sniffMediaType(bytes)).toBe("text/plain");
      }),
      { numRuns: 300 },
    );
  });

  it("isUtf8Text agrees with a strict decoder on arbitrary bytes without controls", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (raw) => {
        const bytes = raw.map((b) => (b < 0x20 || b === 0x7f ? 0x41 : b));
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(isUtf8Text(bytes)).toBe(valid);
      }),
      { numRuns: 1000 },
    );
  });
});
