/**
 * CSV rendering of a package's rows (RFC 4180, UTF-8 with BOM so spreadsheet programs read
 * Chinese). A cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
 * with an apostrophe: the recipient opens this file, and it must not run anything there.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | null): string {
  if (value === null) return "";
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function renderCsv(columns: readonly string[], rows: readonly Record<string, string | null>[]): Buffer {
  const lines = [columns.map(csvCell).join(","), ...rows.map((row) => columns.map((c) => csvCell(row[c] ?? null)).join(","))];
  return Buffer.from(`\ufeff${lines.join("\r\n")}\r\n`, "utf8");
}
