// The statement CSV opens safely in a spreadsheet, for any names: no text cell starts a formula, every text
// reads back as the name it came from (behind one `'` when it was made inert), and every number cell — negative
// rounding deltas included — is a plain number a spreadsheet reads as the same number.
import * as fc from 'fast-check';
import { csvCell, csvDocument } from '../../../../lambdas/core/read/csv';
import {
  STATEMENT_LINE_FIELDS,
  type StatementLine,
  statementCsv,
} from '../../../../lambdas/core/read/statements/build';
import { parseCsv } from '../../../support/csv-parse';

/** What Excel, Sheets and LibreOffice evaluate, written here apart from the module under test. */
const FORMULA_CHARS = ['=', '+', '-', '@'];
const startsFormula = (cell: string): boolean =>
  cell.startsWith('\t') || cell.startsWith('\r') || FORMULA_CHARS.includes(cell.replace(/^[ \n]+/, '')[0] ?? '');

/** Names as hostile as they come: any text, often behind a formula character, a quote, a comma or a line break. */
const nameArb = fc
  .tuple(
    fc.constantFrom(
      '',
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      ' =',
      '\n+',
      '"',
      ',',
      '=HYPERLINK("http://evil.example","Open")',
    ),
    fc.oneof(fc.string(), fc.string({ unit: 'binary' })),
  )
  .map(([lead, rest]) => lead + rest);
/** Values as the sync computes them: 4 decimals, negative ones for rounding deltas and adjustments. */
const amountArb = fc.integer({ min: -100_000_000_000, max: 100_000_000_000 }).map((n) => n / 10_000);

const lineArb: fc.Arbitrary<StatementLine> = fc.record({
  accountId: nameArb,
  accountName: nameArb,
  serviceKey: nameArb,
  serviceName: nameArb,
  computed: amountArb,
  pushed: amountArb,
  roundingDelta: amountArb,
  held: fc.option(amountArb, { nil: null }),
  heldAt: fc.option(fc.constant('2026-12-01T02:00:00.000Z'), { nil: null }),
  mapped: fc.boolean(),
  outcome: fc.constantFrom('accepted', 'not_mapped', 'failed', null),
  reason: fc.constant(null),
}) as fc.Arbitrary<StatementLine>;

const NUMBER_FIELDS = new Set<string>(['computed', 'pushed', 'roundingDelta', 'held']);
const TEXT_FIELDS = new Set<string>(['accountId', 'accountName', 'serviceKey', 'serviceName', 'heldAt', 'outcome']);
/** A number as a spreadsheet's import recognises one: an optional minus, digits, an optional fraction. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

describe('the statement CSV', () => {
  it('has no text cell that starts a formula, and reads back every name and number', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 8 }), (lines) => {
        const [header, ...rows] = parseCsv(statementCsv(lines));
        expect(header).toEqual([...STATEMENT_LINE_FIELDS]);
        expect(rows).toHaveLength(lines.length);
        rows.forEach((row, i) => {
          const line = lines[i] as StatementLine;
          expect(row).toHaveLength(STATEMENT_LINE_FIELDS.length);
          STATEMENT_LINE_FIELDS.forEach((field, j) => {
            const cell = row[j] as string;
            const value = line[field];
            if (value === null) expect(cell).toBe('');
            else if (NUMBER_FIELDS.has(field)) {
              expect(cell).toMatch(PLAIN_NUMBER);
              expect(Number(cell)).toBe(value);
            } else if (TEXT_FIELDS.has(field)) {
              expect(startsFormula(cell)).toBe(false);
              const text = value as string;
              expect(cell).toBe(startsFormula(text) ? `'${text}` : text);
            } else expect(cell).toBe(String(value));
          });
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('a CSV cell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","Open")', `"'=HYPERLINK(""http://evil.example"",""Open"")"`],
    ['+cmd', "'+cmd"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTab', "'\tTab"],
    ['\rCR', `"'\rCR"`],
    ['  =1+1', "'  =1+1"],
    ['Acme, Inc.', '"Acme, Inc."'],
    ['Acme', 'Acme'],
    ['a-b=c', 'a-b=c'],
  ])('writes the text %j as %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('writes numbers, negative ones too, as plain numbers, booleans as words and nothing as empty', () => {
    expect([-2.5, 0, 12.3456, true, null, undefined].map(csvCell)).toEqual(['-2.5', '0', '12.3456', 'true', '', '']);
  });

  it('refuses a number no spreadsheet reads', () => {
    expect(() => csvCell(Number.NaN)).toThrow(RangeError);
  });

  it('ends every row, the last too, with CRLF', () => {
    expect(csvDocument(['a', 'b'], [[1, 'x']])).toBe('a,b\r\n1,x\r\n');
  });
});
