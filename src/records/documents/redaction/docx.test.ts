import JSZip from "jszip";
import mammoth from "mammoth";
import { beforeAll, describe, expect, it } from "vitest";
import { detectPii } from "../pii/index.js";
import { DOCX } from "./docx.js";
import { CANARY, canariesIn, canariesInBytes, KEPT, makeDocx, makeXlsx } from "./fixtures.js";
import { type RedactedCopy, redactDocument } from "./index.js";

const text = async (docx: Buffer) => (await mammoth.extractRawText({ buffer: docx })).value;
const part = async (docx: Buffer, name: string) => (await JSZip.loadAsync(docx)).file(name)?.async("string");
const count = (xml: string, re: RegExp) => xml.match(re)?.length ?? 0;

describe("redactDocument: DOCX", () => {
  let input: Buffer;
  let copy: RedactedCopy;
  beforeAll(async () => {
    input = await makeDocx();
    copy = await redactDocument(input, DOCX, { marked: [CANARY.marked] });
  });

  it("the input holds the canaries where a reader and a byte search find them, the ID split across two runs", async () => {
    const body = await part(input, "word/document.xml");
    expect(body).toContain(`<w:b/>`);
    expect(body).not.toContain(CANARY.residentId); // split: only the paragraph as a whole holds it
    const raw = await text(input);
    expect(detectPii(raw).findings.map((f) => f.type)).toEqual(expect.arrayContaining(["resident_id", "person_name", "bank_card", "mobile"]));
    expect(canariesIn(raw)).toEqual(expect.arrayContaining([CANARY.residentId, CANARY.mobile, CANARY.bankCard, CANARY.name, CANARY.marked]));
    expect(await canariesInBytes(input)).toEqual(expect.arrayContaining([CANARY.email, CANARY.name, "11010519", "491231002X"]));
  });

  it("leaves no canary in the extracted text and none in the bytes of any part", async () => {
    expect(canariesIn(await text(copy.bytes))).toEqual([]);
    expect(await canariesInBytes(copy.bytes)).toEqual([]);
    expect(copy).toMatchObject({ mediaType: DOCX, method: "docx-in-place" });
    expect(copy.removed).toMatchObject({ resident_id: 1, person_name: 1, email: 1, marked: 2 });
  });

  it("keeps the text that is no personal data, and the marks where values were", async () => {
    const raw = await text(copy.bytes);
    for (const kept of KEPT) expect(raw).toContain(kept);
    expect(raw).toContain("身份证号：[已删除]，已核验。");
    expect(raw).toContain("姓名：[已删除]");
    expect(raw).toContain("委托方：[已删除]有限公司");
  });

  it("keeps the layout: paragraphs, tables, cells, runs and their formatting", async () => {
    const before = (await part(input, "word/document.xml"))!;
    const after = (await part(copy.bytes, "word/document.xml"))!;
    for (const re of [/<w:p[ >]/g, /<w:tbl>/g, /<w:tc>/g, /<w:r>/g, /<w:b\/>/g, /<w:i\/>/g, /<w:color /g]) expect(count(after, re)).toBe(count(before, re));
    expect(count(after, /<w:tbl>/g)).toBe(1);
  });

  it("empties the authors, title and custom properties, and the comment's author", async () => {
    const core = (await part(copy.bytes, "docProps/core.xml"))!;
    expect(core).toContain("<dc:creator></dc:creator>");
    expect(core).toContain("<cp:lastModifiedBy></cp:lastModifiedBy>");
    expect(core).toContain("<dc:title></dc:title>");
    expect(await part(copy.bytes, "docProps/custom.xml")).not.toContain("property");
    expect(await part(copy.bytes, "word/comments.xml")).toMatch(/w:author=""/);
  });

  it("keeps a marked string unless it is marked", async () => {
    const unmarked = await redactDocument(input, DOCX);
    expect(await text(unmarked.bytes)).toContain(CANARY.marked);
  });

  it("redacts an embedded workbook, drops the thumbnail, and refuses an embedded object it cannot read", async () => {
    const zip = await JSZip.loadAsync(input);
    zip.file("word/embeddings/Microsoft_Excel_Worksheet.xlsx", await makeXlsx());
    zip.file("docProps/thumbnail.jpeg", Buffer.from(`thumbnail of ${CANARY.mobile}`));
    const rels = (await zip.file("_rels/.rels")!.async("string")).replace(
      "</Relationships>",
      '<Relationship Id="rIdThumb" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/></Relationships>',
    );
    zip.file("_rels/.rels", rels);
    const withExtras = await zip.generateAsync({ type: "nodebuffer" });
    expect(await canariesInBytes(withExtras)).toEqual(expect.arrayContaining([CANARY.residentId, "6222021234567894"]));

    const out = await redactDocument(withExtras, DOCX);
    const left = await canariesInBytes(out.bytes);
    for (const value of [CANARY.residentId, CANARY.mobile, "6222021234567894", CANARY.email, CANARY.name]) expect(left).not.toContain(value);
    const outZip = await JSZip.loadAsync(out.bytes);
    expect(outZip.file("docProps/thumbnail.jpeg")).toBeNull();
    expect(await outZip.file("_rels/.rels")!.async("string")).not.toContain("thumbnail");
    expect(outZip.file("word/embeddings/Microsoft_Excel_Worksheet.xlsx")).not.toBeNull();

    zip.file("word/embeddings/oleObject1.bin", Buffer.from("opaque"));
    await expect(redactDocument(await zip.generateAsync({ type: "nodebuffer" }), DOCX)).rejects.toMatchObject({ code: "redaction_embedded_unsupported" });
  });

  it("redacts link targets, tracked deletions, field codes and entity-encoded text", async () => {
    const zip = await JSZip.loadAsync(input);
    const body = (await zip.file("word/document.xml")!.async("string")).replace(
      "</w:body>",
      `<w:p><w:del w:id="9" w:author="${CANARY.name}"><w:r><w:delText>旧号码 ${CANARY.mobile}</w:delText></w:r></w:del>` +
        `<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:${CANARY.email}" </w:instrText></w:r>` +
        `</w:p><w:p><w:r><w:t>&#x624B;&#x673A;&#xFF1A;1380013&#56;000 &amp; &lt;more&gt;</w:t></w:r></w:p></w:body>`,
    );
    zip.file("word/document.xml", body);
    const rels = (await zip.file("word/_rels/document.xml.rels")!.async("string")).replace(
      "</Relationships>",
      `<Relationship Id="rIdMail" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="mailto:${CANARY.email}" TargetMode="External"/></Relationships>`,
    );
    zip.file("word/_rels/document.xml.rels", rels);
    const out = await redactDocument(await zip.generateAsync({ type: "nodebuffer" }), DOCX, { marked: [CANARY.marked] });
    expect(await canariesInBytes(out.bytes)).toEqual([]);
    const outBody = (await part(out.bytes, "word/document.xml"))!;
    expect(outBody).toContain('<w:delText xml:space="preserve">旧号码 [已删除]</w:delText>');
    // Entities decoded for detection, encoded again when written.
    expect(outBody).toContain('<w:t xml:space="preserve">手机：[已删除] &amp; &lt;more&gt;</w:t>');
    expect(await part(out.bytes, "word/_rels/document.xml.rels")).toContain('Target="about:blank"');
  });

  it("refuses what is not a Word document", async () => {
    await expect(redactDocument(Buffer.from("not a zip"), DOCX)).rejects.toMatchObject({ code: "redaction_corrupt" });
    await expect(redactDocument(await makeXlsx(), DOCX)).rejects.toMatchObject({ code: "redaction_corrupt" });
  });
});
