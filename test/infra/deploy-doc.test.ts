// docs/deploy.md's configuration table against cdk.json: every value a stage block of cdk.json sets is shown in
// the row of its key, so the documented defaults cannot drift from what `-c stage=<stage>` really gets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import cdkJson from '../../cdk.json';

const doc = readFileSync(join(__dirname, '../../docs/deploy.md'), 'utf8');
const rowOf = (key: string) => doc.split('\n').find((l) => l.startsWith(`| \`${key}\``));

it("shows every cdk.json stage block's value in its key's row", () => {
  const stages = cdkJson.context.stages as Record<string, Record<string, unknown>>;
  const checked: string[] = [];
  for (const [stage, block] of Object.entries(stages)) {
    for (const [key, value] of Object.entries(block)) {
      const row = rowOf(key);
      expect({ key, row }).toEqual({ key, row: expect.stringMatching(new RegExp(`\`${stage}\` ${value}\\b`)) });
      checked.push(key);
    }
  }
  expect(checked.length).toBeGreaterThan(3);
});
