/**
 * Redaction of one XML part of an Office package (Word parts, drawings, charts, custom XML, document
 * properties, relationships), rewriting only the texts and attributes that change.
 *
 * - Paragraphs (w:p, a:p) are read as a whole from their text elements (w:t, w:delText, w:instrText,
 *   m:t, a:t) with tabs and breaks between them, so a value split across runs is found; each text
 *   element is then also read on its own, so nothing a reader of one run would see is left.
 * - Any other text node is read on its own; document properties that name people are emptied.
 * - Attributes that hold text (alt text, tooltips, field codes, VML text, document variables) are
 *   redacted; author attributes of comments and tracked changes are emptied; an external link whose
 *   target holds a value points nowhere.
 */
import { RedactionError } from "./errors.js";
import { redactPieces, type Piece } from "./pieces.js";
import { addCounts, findSpans, type RedactionPolicy, type RemovedCounts } from "./policy.js";
import { encodeText, getAttr, lex, setAttr, textOf, unlex, type XmlToken } from "./xml.js";

const PARAGRAPHS = new Set(["w:p", "a:p"]);
const TEXT_ELEMENTS = new Set(["w:t", "w:delText", "w:instrText", "m:t", "a:t"]);
// Tabs in w:tabs are tab stops of the paragraph's properties, not characters of its text.
const SEPARATORS: Record<string, string> = { "w:tab": "\t", "w:ptab": "\t", "w:br": "\n", "w:cr": "\n", "a:br": "\n", "w:noBreakHyphen": "-" };
const NOT_TEXT = "w:tabs";

/** Who wrote or edited the document (core and extended properties): emptied, whatever they hold. */
const EMPTIED_ELEMENTS = new Set([
  "dc:creator",
  "cp:lastModifiedBy",
  "dc:title",
  "dc:subject",
  "dc:description",
  "dc:identifier",
  "cp:keywords",
  "cp:category",
  "cp:contentStatus",
  "Company",
  "Manager",
  "HyperlinkBase",
]);
const EMPTIED_ATTRS = ["w:author", "w:initials", "w15:author", "w15:userId"];
const TEXT_ATTRS = ["descr", "title", "alt", "string", "o:title", "w:tooltip", "w:instr"];
const NAMED_ELEMENTS = new Set(["wp:docPr", "pic:cNvPr", "wps:cNvPr", "wpg:cNvPr"]);
// Document variables, and content controls' titles and tags.
const VALUED_ELEMENTS = new Set(["w:docVar", "w:alias", "w:tag"]);

const textAttrs = (element: string): string[] => [
  ...TEXT_ATTRS,
  ...(NAMED_ELEMENTS.has(element) ? ["name"] : []),
  ...(VALUED_ELEMENTS.has(element) ? ["w:name", "w:val"] : []),
];
const isExternal = (t: XmlToken & { kind: "open" }) => t.name === "Relationship" && getAttr(t.raw, "TargetMode") === "External";

export interface PartResult {
  readonly xml: string;
  readonly removed: RemovedCounts;
}

export function redactPart(xml: string, policy: RedactionPolicy): PartResult {
  const tokens = lex(xml);
  const removed: RemovedCounts = {};
  const handled = paragraphs(tokens, policy, removed);
  otherTexts(tokens, handled, policy, removed);
  attributes(tokens, policy, removed);
  return { xml: unlex(tokens), removed };
}

interface Paragraph {
  pieces: Piece[];
  /** Per piece: the index of its text token and of the element's opening tag; -1 for separators. */
  at: { text: number; open: number }[];
}

function paragraphs(tokens: XmlToken[], policy: RedactionPolicy, removed: RemovedCounts): Set<number> {
  const handled = new Set<number>();
  const stack: Paragraph[] = [];
  let open = -1; // the opening tag of the text element we are in
  let notText = 0;
  tokens.forEach((t, i) => {
    if (t.kind === "open") {
      if (PARAGRAPHS.has(t.name) && !t.selfClosing) stack.push({ pieces: [], at: [] });
      else if (TEXT_ELEMENTS.has(t.name) && !t.selfClosing) open = i;
      else if (t.name === NOT_TEXT && !t.selfClosing) notText++;
      else if (t.name in SEPARATORS && notText === 0 && stack.length > 0) {
        const p = stack[stack.length - 1]!;
        p.pieces.push({ text: SEPARATORS[t.name]!, fixed: true });
        p.at.push({ text: -1, open: -1 });
      }
    } else if (t.kind === "close") {
      if (PARAGRAPHS.has(t.name) && stack.length > 0) rewrite(tokens, stack.pop()!, policy, removed);
      else if (TEXT_ELEMENTS.has(t.name)) open = -1;
      else if (t.name === NOT_TEXT) notText--;
    } else if (t.kind === "text" && open >= 0) {
      handled.add(i);
      const piece = { pieces: [{ text: textOf(t) }], at: [{ text: i, open }] };
      if (stack.length === 0) rewrite(tokens, piece, policy, removed);
      else {
        stack[stack.length - 1]!.pieces.push(piece.pieces[0]!);
        stack[stack.length - 1]!.at.push(piece.at[0]!);
      }
    }
  });
  return handled;
}

function rewrite(tokens: XmlToken[], p: Paragraph, policy: RedactionPolicy, removed: RemovedCounts): void {
  if (!p.pieces.some((x) => !x.fixed && x.text.length > 0)) return;
  const whole = redactPieces(p.pieces, policy);
  addCounts(removed, whole.removed);
  whole.texts.forEach((text, k) => {
    if (p.at[k]!.text < 0) return;
    // Then each run on its own: a number that read as part of a longer one in the paragraph may still be one here.
    const alone = redactPieces([{ text }], policy);
    addCounts(removed, alone.removed);
    if (whole.changed || alone.changed) setText(tokens, p.at[k]!, alone.texts[0]!);
  });
}

function setText(tokens: XmlToken[], at: { text: number; open: number }, text: string): void {
  const token = tokens[at.text]!;
  if (token.kind !== "text" || textOf(token) === text) return;
  tokens[at.text] = { kind: "text", raw: encodeText(text), cdata: false };
  const open = tokens[at.open]!;
  // Word drops leading and trailing spaces of a w:t without xml:space="preserve".
  if (open.kind === "open" && open.name.startsWith("w:") && getAttr(open.raw, "xml:space") === null) {
    tokens[at.open] = { ...open, raw: open.raw.replace(/\s*>$/, ' xml:space="preserve">') };
  }
}

function otherTexts(tokens: XmlToken[], handled: Set<number>, policy: RedactionPolicy, removed: RemovedCounts): void {
  let element = "";
  tokens.forEach((t, i) => {
    if (t.kind === "open") element = t.name;
    if (t.kind !== "text" || handled.has(i)) return;
    const text = textOf(t);
    if (text.trim() === "") return;
    if (EMPTIED_ELEMENTS.has(element)) {
      tokens[i] = { kind: "text", raw: "", cdata: false };
      return;
    }
    const result = redactPieces([{ text }], policy);
    addCounts(removed, result.removed);
    if (result.changed) tokens[i] = { kind: "text", raw: encodeText(result.texts[0]!), cdata: false };
  });
}

function attributes(tokens: XmlToken[], policy: RedactionPolicy, removed: RemovedCounts): void {
  tokens.forEach((t, i) => {
    if (t.kind !== "open") return;
    let raw = t.raw;
    for (const name of EMPTIED_ATTRS) if (getAttr(raw, name)) raw = setAttr(raw, name, "");
    for (const name of textAttrs(t.name)) {
      const value = getAttr(raw, name);
      if (value === null) continue;
      const result = redactPieces([{ text: value }], policy);
      addCounts(removed, result.removed);
      if (result.changed) raw = setAttr(raw, name, result.texts[0]!);
    }
    if (isExternal(t)) {
      const spans = findSpans(getAttr(raw, "Target") ?? "", policy);
      for (const s of spans) removed[s.kind] = (removed[s.kind] ?? 0) + 1;
      // A link target with a bracketed mark in it is no valid URI: the link goes nowhere instead.
      if (spans.length > 0) raw = setAttr(raw, "Target", "about:blank");
    }
    if (raw !== t.raw) tokens[i] = { ...t, raw };
  });
}

/** Every text node of a part and the text attributes, for the final check that nothing is left. */
export function partTexts(xml: string): string[] {
  const out: string[] = [];
  for (const t of lex(xml)) {
    if (t.kind === "text") out.push(textOf(t));
    else if (t.kind === "open") {
      for (const name of [...textAttrs(t.name), ...(isExternal(t) ? ["Target"] : [])]) {
        const v = getAttr(t.raw, name);
        if (v) out.push(v);
      }
    }
  }
  return out;
}

export const isXmlPart = (name: string): boolean => /\.(?:xml|rels|vml)$/i.test(name);

/** Every text node and text attribute of a package's XML parts, each read on its own: nothing to remove may be left. */
export function verifyPackage(entries: ReadonlyMap<string, Uint8Array>, policy: RedactionPolicy): void {
  for (const [name, data] of entries) {
    if (!isXmlPart(name)) continue;
    if (findSpans(partTexts(Buffer.from(data).toString("utf8")).join("\n\n"), policy).length > 0) throw new RedactionError("redaction_incomplete");
  }
}
