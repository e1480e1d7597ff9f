// How the operator CLI prints: aligned tables and key/value blocks for people, CSV for spreadsheets. Each table
// column is as wide as its widest cell, whatever the values are, so every status lines up.

export type Row = Record<string, unknown>;

const cell = (v: unknown): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** An aligned table with a header row; `columns` default to every key the rows have, in first-seen order. */
export function table(rows: readonly Row[], columns: readonly string[] = columnsOf(rows)): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [columns.map((c) => c), ...rows.map((r) => columns.map((c) => cell(r[c])))];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => line[i]!.length)));
  return (
    cells
      .map((line) =>
        line
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

/** `key: value` lines, keys aligned; nested objects and arrays as compact JSON. */
export function fields(record: Row): string {
  const keys = Object.keys(record).filter((k) => record[k] !== undefined);
  const width = Math.max(0, ...keys.map((k) => k.length));
  return keys.map((k) => `${`${k}:`.padEnd(width + 1)} ${cell(record[k])}`).join('\n') + '\n';
}

/** RFC 4180 CSV: a header row, fields quoted when they hold a comma, quote or line break. */
export function csv(rows: readonly Row[], columns: readonly string[] = columnsOf(rows)): string {
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return (
    [columns, ...rows.map((r) => columns.map((c) => cell(r[c])))].map((l) => l.map(quote).join(',')).join('\n') + '\n'
  );
}

/**
 * Any answer for a person: its scalar fields as a block, then each array of records as a table under its name.
 * For answers whose shape this CLI does not pin (routes another version may shape differently).
 */
export function generic(value: unknown): string {
  if (Array.isArray(value)) return table(value.map(asRow));
  if (typeof value !== 'object' || value === null) return `${cell(value)}\n`;
  const record = value as Row;
  const scalars: Row = {};
  const parts: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (Array.isArray(v)) parts.push(`${k}:\n${table(v.map(asRow))}`);
    else scalars[k] = v;
  }
  return [Object.keys(scalars).length > 0 ? fields(scalars) : '', ...parts].filter(Boolean).join('\n');
}

/** The first array of records in an answer (the lines of a statement, the rows of a list). */
export function firstRecords(value: unknown): Row[] | undefined {
  if (Array.isArray(value)) return value.map(asRow);
  if (typeof value !== 'object' || value === null) return undefined;
  const found = Object.values(value).find(Array.isArray);
  return found?.map(asRow);
}

const asRow = (v: unknown): Row => (typeof v === 'object' && v !== null ? (v as Row) : { value: v });

function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}
