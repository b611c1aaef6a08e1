/**
 * CSV for the audit export, built in the browser from rows already loaded (nothing new is asked of
 * the API). RFC 4180 quoting, CRLF line ends, and a BOM so spreadsheet programs read UTF-8.
 */

// A cell a spreadsheet would read as a formula (CSV injection) is prefixed with a quote, so it
// stays text. Tab and carriage return also start formulas in some programs.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let text = typeof value === "string" ? value : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return `\uFEFF${[header, ...rows].map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
