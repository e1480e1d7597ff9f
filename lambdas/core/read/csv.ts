// Every CSV the project writes: RFC 4180 rows, and no cell a spreadsheet would run as a formula. The text comes
// from the vendor's data (company names), the catalog (service names) and Gradient (PSA names): none is trusted.

/** One cell's value: text, or a typed value written as it is (a number stays a number, negative ones too). */
export type CsvValue = string | number | boolean | null | undefined;

/**
 * Text that Excel, Sheets or LibreOffice would evaluate: it begins with `=`, `+`, `-`, `@`, a tab or a carriage
 * return (the OWASP list), or with spaces before one of the first four (some importers trim them).
 */
export const FORMULA_START = /^(?:[\t\r]|[ \n]*[=+\-@])/;

/** The prefix that makes such text inert: a spreadsheet shows the rest as text. */
export const INERT_PREFIX = "'";

/** Text as a spreadsheet should show it: formula-like text prefixed with `'`, anything else unchanged. */
export const inertText = (text: string): string => (FORMULA_START.test(text) ? `${INERT_PREFIX}${text}` : text);

/** One cell: text made inert, then quoted when it holds a quote, a comma or a line break (RFC 4180). */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`a CSV cell holds a finite number, not ${value}`);
    return String(value);
  }
  const text = typeof value === 'boolean' ? String(value) : inertText(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole document: the header row, then one row per record, each ended by CRLF. */
export const csvDocument = (header: readonly string[], rows: readonly (readonly CsvValue[])[]): string =>
  [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
