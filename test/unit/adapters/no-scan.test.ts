import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// The design target is 10,000 partners: every read path goes through keys (Get/Query), never a table Scan.
describe('the DynamoDB adapters', () => {
  it('never scan a table', () => {
    const dir = join(__dirname, '../../../lambdas/adapters/dynamo');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      expect({ file, scans: /\b(ScanCommand|paginateScan)\b/.test(readFileSync(join(dir, file), 'utf8')) }).toEqual({
        file,
        scans: false,
      });
    }
  });
});
