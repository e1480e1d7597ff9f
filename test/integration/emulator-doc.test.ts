// docs/emulator.md's "Provoking the API's error cases", run as written: each curl of the page against the API
// and the Gradient emulator of the local stack, each `# → <status> <code>` checked against the answer before it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiServer } from '../../local/api-server';
import { type LocalStack, startLocalStack } from '../../local/stack';
import { startStackApi } from '../support/stack-api';

let stack: LocalStack;
let api: ApiServer;

beforeAll(async () => {
  stack = await startLocalStack();
  api = await startStackApi(stack, 'emulator-doc');
  stack.emulator!.addPartner({ partnerApiKey: 'pk-demo-123', organizationName: 'Acme MSP' });
  const saved = await fetch(`${api.url}/v1/partners/acme-msp/connection`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partnerApiKey: 'pk-demo-123' }),
  });
  expect(saved.status).toBe(200);
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const page = readFileSync(join(__dirname, '../../docs/emulator.md'), 'utf8');
const section = page.slice(page.indexOf("## Provoking the API's error cases"));
const script = /```sh\n([\s\S]*?)```/.exec(section)![1]!;

it('answers each error the emulator page provokes with the status and code the page shows', async () => {
  const vars: Record<string, string> = { API: api.url, GRADIENT: stack.gradientUrl };
  let last: { status: number; code?: string } | undefined;
  let checked = 0;
  for (const line of script.split('\n')) {
    const assign = /^([A-Z]+)='([^']*)'$/.exec(line);
    if (assign) vars[assign[1]!] = assign[2]!;
    const curl = /^curl -sX (\w+) (\S+)(.*)$/.exec(line);
    if (curl) {
      const expand = (s: string) => s.replace(/\$(\w+)/g, (_, v: string) => vars[v]!).replace(/"/g, '');
      const body = /-d '([^']*)'/.exec(curl[3]!)?.[1];
      const res = await fetch(expand(curl[2]!), {
        method: curl[1]!,
        ...(body !== undefined && { body, headers: { 'content-type': 'application/json' } }),
        signal: AbortSignal.timeout(15_000),
      });
      const json = (await res.json().catch(() => undefined)) as { error?: { code: string } } | undefined;
      last = { status: res.status, ...(json?.error && { code: json.error.code }) };
    }
    const shown = /^# → (\d{3}) (\w+)/.exec(line);
    if (shown) {
      expect(last).toEqual({ status: Number(shown[1]), code: shown[2] });
      checked++;
    }
  }
  expect(checked).toBe(4);
  expect((await stack.apiDeps.partners.get('acme-msp'))?.status).toBe('auth_failed');
});
