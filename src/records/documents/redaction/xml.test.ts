import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RedactionError } from "./errors.js";
import { decodeXml, encodeAttr, encodeText, getAttr, lex, setAttr, unlex } from "./xml.js";

const text = fc.string({ unit: fc.constantFrom(..."ab张三<>&\"' \n1") });
const name = fc.constantFrom("w:t", "w:p", "a:t", "Relationship");
const attr = fc.tuple(fc.constantFrom("w:val", "descr", "Target"), text).map(([n, v]) => ` ${n}="${encodeAttr(v)}"`);
const element = fc
  .tuple(name, fc.array(attr, { maxLength: 2 }), text, fc.boolean())
  .map(([n, attrs, t, empty]) => (empty ? `<${n}${attrs.join("")}/>` : `<${n}${attrs.join("")}>${encodeText(t)}</${n}>`));
const xml = fc
  .array(fc.oneof(element, fc.constant("<!-- c > -->"), fc.constant("<![CDATA[<x>]]>")), { maxLength: 8 })
  .map((parts) => `<?xml version="1.0"?><r>${parts.join("")}</r>`);

describe("xml", () => {
  it("lexes into tokens that join back into the exact input", () => {
    fc.assert(
      fc.property(xml, (s) => {
        expect(unlex(lex(s))).toBe(s);
      }),
    );
  });

  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(decodeXml(encodeText(s))).toBe(s);
        expect(decodeXml(encodeAttr(s))).toBe(s);
      }),
    );
    expect(decodeXml("&#x5F20;&#19977;&amp;&lt;&unknown;")).toBe("张三&<&unknown;");
  });

  it("reads and replaces attribute values, '>' inside values included", () => {
    const tag = `<wp:docPr id="1" descr="a &gt; b" name='x'>`;
    expect(lex(tag)).toEqual([{ kind: "open", name: "wp:docPr", raw: tag, selfClosing: false }]);
    expect(getAttr(tag, "descr")).toBe("a > b");
    expect(getAttr(setAttr(tag, "name", 'say "hi"'), "name")).toBe('say "hi"');
    expect(getAttr(tag, "title")).toBeNull();
  });

  it("refuses a DOCTYPE or broken markup", () => {
    expect(() => lex('<!DOCTYPE x [<!ENTITY e "v">]><x/>')).toThrow(RedactionError);
    expect(() => lex("<a <b>")).toThrow(RedactionError);
  });
});
