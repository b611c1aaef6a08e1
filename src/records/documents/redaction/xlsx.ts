/**
 * Workbooks (XLSX): loaded with exceljs, every cell redacted, written anew. exceljs writes the
 * workbook from its model, so the shared-string table is rebuilt from the redacted values (the
 * original's, with every string, is not copied) and parts it does not model (pivot caches, charts,
 * embedded objects, threaded comments, custom XML) are left out of the copy rather than carried over
 * unread.
 *
 * A cell is read with its context, as a person would: after the cell to its left ("姓名 | 张三") and
 * under its column's header (row 1), then on its own. Strings, rich text (a value split across
 * runs), numbers whose digits are an identifier (a card or phone typed as a number becomes the mark),
 * formulas (formula or cached result holding a value: the cell becomes the mark), links, notes, headers
 * and footers, list validations and sheet names (renamed "Sheet<n>" when they hold a value). The
 * workbook's author, editor, title, subject, keywords, company and manager are emptied; pictures
 * (PNG, JPEG) get boxes burned in.
 */
import ExcelJS from "exceljs";
import { RedactionError } from "./errors.js";
import type { NestedRedactor } from "./docx.js";
import { verifyPackage } from "./ooxml-part.js";
import { type Piece, redactPieces } from "./pieces.js";
import { addCounts, type RedactionPolicy, type RemovedCounts } from "./policy.js";
import { type Budget, readPackage } from "./zip.js";

type Cell = ExcelJS.Cell;
type Worksheet = ExcelJS.Worksheet;

interface Redactor {
  policy: RedactionPolicy;
  removed: RemovedCounts;
}

/** Redacts `texts` (runs of one value) after each context in turn, then alone; null when nothing changed. */
function redactRuns(r: Redactor, texts: readonly string[], contexts: readonly string[]): string[] | null {
  let current = [...texts];
  let changed = false;
  for (const context of [...contexts.filter((c) => c.trim() !== ""), null]) {
    const pieces: Piece[] = current.map((text) => ({ text }));
    if (context !== null) pieces.unshift({ text: `${context.slice(-24)}\t`, fixed: true });
    const result = redactPieces(pieces, r.policy);
    addCounts(r.removed, result.removed);
    if (result.changed) {
      current = context === null ? result.texts : result.texts.slice(1);
      changed = true;
    }
  }
  return changed ? current : null;
}

const redactString = (r: Redactor, text: string, contexts: readonly string[] = []) => redactRuns(r, [text], contexts)?.[0] ?? null;

export async function redactXlsx(
  bytes: Uint8Array,
  policy: RedactionPolicy,
  nested: NestedRedactor,
  budget: Budget,
): Promise<{ bytes: Buffer; removed: RemovedCounts }> {
  // Inflated once against the budget first: exceljs would expand a ZIP bomb without a limit.
  if (!(await readPackage(bytes, budget)).has("xl/workbook.xml")) throw new RedactionError("redaction_corrupt");
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    throw new RedactionError("redaction_corrupt");
  }
  const r: Redactor = { policy, removed: {} };
  for (const key of ["creator", "lastModifiedBy", "title", "subject", "keywords", "category", "description", "company", "manager"] as const) {
    (book as unknown as Record<string, string>)[key] = "";
  }
  const names = new Set(book.worksheets.map((ws) => ws.name));
  for (const ws of book.worksheets) {
    unshareFormulas(ws);
    redactCells(r, ws);
    redactSheetExtras(r, ws);
    if (redactString(r, ws.name) !== null) {
      names.delete(ws.name);
      let n = ws.id;
      while (names.has(`Sheet${n}`)) n++;
      ws.name = `Sheet${n}`;
      names.add(ws.name);
    }
  }
  const media = (book as unknown as { media: { type: string; extension?: string; buffer?: Buffer }[] }).media;
  for (const m of media) {
    const type = m.extension === "png" ? "image/png" : m.extension === "jpeg" || m.extension === "jpg" ? "image/jpeg" : null;
    if (m.type !== "image" || type === null || m.buffer === undefined) continue;
    const result = await nested(m.buffer, type);
    addCounts(r.removed, result.removed);
    m.buffer = result.bytes;
  }
  const out = Buffer.from(await book.xlsx.writeBuffer());
  verifyPackage(await readPackage(out, { left: Number.POSITIVE_INFINITY }), policy);
  return { bytes: out, removed: r.removed };
}

// A shared formula lives in its first cell; the others refer to it. Each cell gets its own formula
// first, so a redacted first cell cannot leave the others pointing at nothing.
function unshareFormulas(ws: Worksheet): void {
  const shared: { cell: Cell; formula: string; result: unknown }[] = [];
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      const v = cell.value as { sharedFormula?: string; shareType?: string } | null;
      if (cell.type === ExcelJS.ValueType.Formula && (v?.sharedFormula !== undefined || v?.shareType === "shared")) {
        shared.push({ cell, formula: cell.formula, result: cell.result });
      }
    }),
  );
  for (const s of shared) s.cell.value = { formula: s.formula, result: s.result } as ExcelJS.CellFormulaValue;
}

/** The text a cell shows, for context and detection; null for dates, booleans, errors and blanks. */
function cellText(cell: Cell): string | null {
  const v = cell.value;
  if (typeof v === "string") return v;
  if (typeof v === "number") return numberText(v);
  if (v !== null && typeof v === "object" && "richText" in v) return v.richText.map((t) => t.text).join("");
  return null;
}

// The digits of an integer as typed (a card of 16 digits is still exact as a double); fractions are no identifiers.
const numberText = (n: number) => (Number.isInteger(n) && Math.abs(n) < 1e21 ? BigInt(n).toString() : null);

function redactCells(r: Redactor, ws: Worksheet): void {
  const original = new Map<string, string>();
  ws.eachRow((row) => row.eachCell((cell) => original.set(cell.address, cellText(cell) ?? "")));
  const contextOf = (cell: Cell) => {
    const col = Number(cell.col);
    const left = col > 1 ? (original.get(ws.getCell(Number(cell.row), col - 1).address) ?? "") : "";
    const header = Number(cell.row) > 1 ? (original.get(ws.getCell(1, col).address) ?? "") : "";
    return [left, header];
  };
  ws.eachRow((row) =>
    row.eachCell((cell) => {
      redactCell(r, cell, contextOf(cell));
      redactNote(r, cell);
    }),
  );
}

function redactCell(r: Redactor, cell: Cell, contexts: string[]): void {
  const v = cell.value;
  switch (cell.type) {
    case ExcelJS.ValueType.String:
    case ExcelJS.ValueType.SharedString: {
      const text = redactString(r, String(v), contexts);
      if (text !== null) cell.value = text;
      return;
    }
    case ExcelJS.ValueType.Number: {
      const digits = numberText(v as number);
      const text = digits === null ? null : redactString(r, digits, contexts);
      if (text !== null) cell.value = text;
      return;
    }
    case ExcelJS.ValueType.RichText: {
      const rich = (v as ExcelJS.CellRichTextValue).richText;
      const texts = redactRuns(
        r,
        rich.map((t) => t.text),
        contexts,
      );
      if (texts !== null) cell.value = { richText: rich.map((t, i) => ({ ...t, text: texts[i]! })) };
      return;
    }
    case ExcelJS.ValueType.Formula: {
      const f = v as ExcelJS.CellFormulaValue;
      const result = f.result === undefined || f.result === null ? "" : typeof f.result === "number" ? (numberText(f.result) ?? "") : String(f.result);
      const redactedResult = redactString(r, result, contexts);
      const redactedFormula = redactString(r, f.formula ?? "");
      if (redactedResult !== null || redactedFormula !== null) cell.value = redactedResult ?? r.policy.replacement;
      return;
    }
    case ExcelJS.ValueType.Hyperlink: {
      const h = v as ExcelJS.CellHyperlinkValue;
      const shown = typeof h.text === "string" ? h.text : "";
      const text = redactString(r, shown, contexts);
      const target = redactString(r, h.hyperlink ?? "");
      // A link whose target holds a value is dropped; its (redacted) text stays.
      if (target !== null) cell.value = text ?? shown;
      else if (text !== null) cell.value = { ...h, text };
      return;
    }
    default:
  }
}

function redactNote(r: Redactor, cell: Cell): void {
  const note = cell.note as string | { texts?: { text: string }[] } | undefined;
  if (note === undefined) return;
  if (typeof note === "string") {
    const text = redactString(r, note);
    if (text !== null) cell.note = text;
    return;
  }
  const texts = redactRuns(
    r,
    (note.texts ?? []).map((t) => t.text),
    [],
  );
  if (texts !== null) cell.note = { ...note, texts: (note.texts ?? []).map((t, i) => ({ ...t, text: texts[i]! })) } as ExcelJS.Comment;
}

function redactSheetExtras(r: Redactor, ws: Worksheet): void {
  const hf = ws.headerFooter as unknown as Record<string, unknown> | undefined;
  for (const key of Object.keys(hf ?? {})) {
    const value = hf![key];
    if (typeof value !== "string") continue;
    const text = redactString(r, value);
    if (text !== null) hf![key] = text;
  }
  const validations = (ws as unknown as { dataValidations?: { model?: Record<string, { formulae?: unknown[] }> } }).dataValidations?.model ?? {};
  for (const rule of Object.values(validations)) {
    rule.formulae = rule.formulae?.map((f) => (typeof f === "string" ? (redactString(r, f) ?? f) : f));
  }
  for (const table of ws.getTables() as unknown as { table?: { columns?: { name: string }[] } }[]) {
    for (const column of table.table?.columns ?? []) column.name = redactString(r, column.name) ?? column.name;
  }
}
