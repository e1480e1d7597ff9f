// The per-MSP table of `npm start`: aligned whatever the statuses, names and numbers are.
import { emptySummary } from '../../../lambdas/core/model';
import { reportTable } from '../../../local/report';

it('keeps every column aligned for any status, name or number width', () => {
  const rows = [
    { name: 'A', rounding: 'none', status: 'succeeded', summary: { ...emptySummary(), lines: 3 } },
    {
      name: 'A much longer MSP name than any header',
      rounding: 'nearest',
      status: 'failed (gradient_unreachable)',
      summary: { ...emptySummary(), lines: 123456, failed: 123456 },
    },
    { name: 'B', rounding: 'up', status: 'not run', summary: emptySummary() },
  ];
  const total = { ...emptySummary(), lines: 123459, failed: 123456 };
  const lines = reportTable(rows, total).filter((l) => !/^ {2}-+$/.test(l));
  // Each column ends (numbers) or starts (text) at the same offset on every line.
  const header = lines[0]!;
  const runStart = header.indexOf('run');
  const linesEnd = header.indexOf('lines') + 'lines'.length;
  for (const line of lines.slice(1, -1)) {
    expect(line[runStart - 1]).toBe(' ');
    expect(line[runStart]).not.toBe(' ');
  }
  for (const line of lines) {
    expect(line.length).toBe(header.length);
    expect(line[linesEnd - 1]).not.toBe(' ');
    expect(line[linesEnd]).toBe(' ');
  }
});
