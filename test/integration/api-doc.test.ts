// docs/api.md and the README's walkthrough run as written: every ```sh block of the page, in order, in one bash session against the API and
// the Gradient emulator of the local stack (the page's 127.0.0.1:3000/3001 replaced by this test's ports). Each
// `# → <answer>` must be what the command before it printed (`…` stands for anything), no route the page calls
// may be unknown, and nothing may answer 500.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type ApiServer, startApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';

let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack();
  stack.queue.startAutoDrain(stack.worker);
  api = await startApiServer({ port: 0, host: '127.0.0.1', handler: stack.api });
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const MARK = '@@answer';

/** Runs a script of the docs in bash, the docs' local addresses replaced by this test's; answers its output. */
async function bash(script: string): Promise<string> {
  const local = script
    .replaceAll('http://127.0.0.1:3000', api.url)
    .replaceAll('http://127.0.0.1:3001', stack.gradientUrl);
  // Each answer on its own line: curl -s prints none after the body.
  const shell = `curl() { command curl "$@"; local rc=$?; echo; return $rc; }\n${local}`;
  const { stdout } = await promisify(execFile)('bash', ['-c', shell], { timeout: 60_000, maxBuffer: 4 << 20 });
  return stdout;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

it('answers every command of docs/api.md as the page shows', async () => {
  const page = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8');
  const expected: string[] = [];
  const script = [...page.matchAll(/```sh\n([\s\S]*?)```/g)]
    .map((m) => m[1]!)
    .join('\n')
    .split('\n')
    .filter((line) => !line.startsWith('npm run dev'))
    .map((line) => {
      const answer = /^# → (.*)$/.exec(line);
      if (!answer) return line;
      expected.push(answer[1]!);
      return `echo; echo ${MARK}`;
    })
    .join('\n');
  expect(expected.length).toBeGreaterThan(3);

  const stdout = await bash(script);
  const segments = stdout.split(`${MARK}\n`);
  expected.forEach((answer, i) => {
    const printed = segments[i]!.trim().split('\n').at(-1)!;
    const pattern = new RegExp(`^${answer.split('…').map(escapeRegExp).join('.*')}$`);
    expect({ answer, printed }).toEqual({ answer, printed: expect.stringMatching(pattern) });
  });
  expect(stdout).not.toContain('"route_not_found"');
  expect(stdout).not.toContain('"internal_error"');
});

it("runs the README's walkthrough to its disconnect, every route known", async () => {
  await fetch(`${stack.gradientUrl}/__emulator/reset`, { method: 'POST' });
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const from = readme.indexOf('The MSP setup flow against `npm run dev`');
  const script = /```sh\n([\s\S]*?)```/.exec(readme.slice(from))![1]!.replaceAll('acme-msp', 'readme-msp');
  const stdout = await bash(script);
  expect(stdout).toContain('"written":1');
  expect(stdout).toContain('"runs":[{"runId"');
  expect(stdout.trim().split('\n').at(-1)).toBe('204');
  expect(stdout).not.toContain('"route_not_found"');
  expect(stdout).not.toContain('"internal_error"');
});
