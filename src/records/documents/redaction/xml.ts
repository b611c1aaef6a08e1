/**
 * Just enough XML for Office Open XML parts: a lexer whose tokens join back into the exact input,
 * so a part is rewritten only where a text or attribute changed; entity decoding for detection and
 * encoding for writing. OOXML has no DTDs, so none are read.
 */
import { RedactionError } from "./errors.js";

export type XmlToken =
  | { kind: "open"; name: string; raw: string; selfClosing: boolean }
  | { kind: "close"; name: string; raw: string }
  | { kind: "text"; raw: string; cdata: boolean }
  | { kind: "other"; raw: string };

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const COMMENT = /<!--[\s\S]*?-->/y;
const PI = /<\?[\s\S]*?\?>/y;
const CDATA = /<!\[CDATA\[([\s\S]*?)\]\]>/y;
const TEXT = /[^<]+/y;

export function lex(xml: string): XmlToken[] {
  const tokens: XmlToken[] = [];
  let at = 0;
  const match = (re: RegExp) => {
    re.lastIndex = at;
    return re.exec(xml);
  };
  while (at < xml.length) {
    let m: RegExpExecArray | null;
    if ((m = match(TEXT))) tokens.push({ kind: "text", raw: m[0], cdata: false });
    else if ((m = match(TAG))) {
      if (m[1] === "/") tokens.push({ kind: "close", name: m[2]!, raw: m[0] });
      else tokens.push({ kind: "open", name: m[2]!, raw: m[0], selfClosing: m[4] === "/" });
    } else if ((m = match(CDATA))) tokens.push({ kind: "text", raw: m[0], cdata: true });
    else if ((m = match(COMMENT)) || (m = match(PI))) tokens.push({ kind: "other", raw: m[0] });
    else throw new RedactionError("redaction_corrupt"); // a DOCTYPE or broken markup
    at += m[0].length;
  }
  return tokens;
}

export const unlex = (tokens: readonly XmlToken[]): string => tokens.map((t) => t.raw).join("");

const NAMED: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

export function decodeXml(raw: string): string {
  return raw.replace(/&(?:#(\d{1,7})|#x([0-9A-Fa-f]{1,6})|(amp|lt|gt|quot|apos));/g, (all, dec?: string, hex?: string, name?: string) => {
    if (name !== undefined) return NAMED[name]!;
    const code = dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

export const encodeText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
export const encodeAttr = (s: string): string => encodeText(s).replace(/"/g, "&quot;");

/** The decoded content of a text token (a CDATA section's content as it is). */
export function textOf(token: XmlToken & { kind: "text" }): string {
  return token.cdata ? token.raw.slice(9, -3) : decodeXml(token.raw);
}

const attrPattern = (name: string) => new RegExp(`(\\s${name.replace(/[.:-]/g, "\\$&")}\\s*=\\s*)("[^"]*"|'[^']*')`);

export function getAttr(tag: string, name: string): string | null {
  const m = attrPattern(name).exec(tag);
  return m ? decodeXml(m[2]!.slice(1, -1)) : null;
}

/** The tag with the attribute's value replaced; unchanged when it has no such attribute. */
export function setAttr(tag: string, name: string, value: string): string {
  return tag.replace(attrPattern(name), (_all, head: string) => `${head}"${encodeAttr(value)}"`);
}

/** Every attribute name of a tag, in order. */
export function attrNames(tag: string): string[] {
  return [...tag.matchAll(/\s([^\s=/>]+)\s*=\s*(?:"[^"]*"|'[^']*')/g)].map((m) => m[1]!);
}
