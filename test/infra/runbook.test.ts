// The runbook (docs/deploy.md) against the stack: the variables it uses are set by its own commands from
// outputs that exist, and every alarm the stack creates has its row under the name CloudWatch shows.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALARM_PURPOSES } from '../../lib/constructs/observability';
import { synthStack } from './synth-helper';

const doc = readFileSync(join(__dirname, '../../docs/deploy.md'), 'utf8');
const shellBlocks = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).join('\n');
const inlineCommands = [...doc.matchAll(/`(aws [^`]+)`/g)].map((m) => m[1]!).join('\n');
const commands = `${shellBlocks}\n${inlineCommands}`;

describe('the runbook', () => {
  it('sets every shell variable it uses, by a command in the doc', () => {
    const used = new Set([...commands.matchAll(/\$\{?([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!));
    const set = new Set([
      ...[...commands.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!),
      ...[...commands.matchAll(/read -rs ([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]!),
    ]);
    expect(used.size).toBeGreaterThan(5);
    expect([...used].filter((v) => !set.has(v))).toEqual([]);
  });

  it('reads only outputs the stack exports', () => {
    const outputs = Object.keys(synthStack({ stage: 'dev' }).template.findOutputs('*'));
    const read = [...commands.matchAll(/\$\(out (\w+)\)/g)].map((m) => m[1]!);
    expect(read).toEqual(expect.arrayContaining(['ApiUrl', 'WorkDlqArn', 'SchedulerDlqUrl']));
    expect(read.filter((o) => !outputs.includes(o))).toEqual([]);
  });

  it('has a row for every alarm, under the name CloudWatch shows', () => {
    const rows = [...doc.matchAll(/^\| `<stack>-(\w+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual([...ALARM_PURPOSES].sort());
  });
});
