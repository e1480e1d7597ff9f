// The client's SigV4 signature against a known answer computed here, step by step from the SigV4 spec with
// node:crypto (canonical request → string to sign → derived key → HMAC), at a fixed clock and fixed keys.
import { createHash, createHmac } from 'node:crypto';
import { createSignedFetch } from '../../../client/signed-fetch';

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const REGION = 'eu-west-1';
const HOST = 'abc123.execute-api.eu-west-1.amazonaws.com';
const NOW = new Date('2026-11-25T02:03:04.000Z');

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: Buffer | string, s: string) => createHmac('sha256', key).update(s, 'utf8').digest();

/** The Authorization header SigV4 gives for this request, derived without the signer under test. */
function expectedAuthorization(
  method: string,
  path: string,
  query: string,
  headers: Record<string, string>,
  body: string,
) {
  const names = Object.keys(headers).sort();
  const canonicalRequest = [
    method,
    path,
    query,
    ...names.map((n) => `${n}:${headers[n]!.trim()}`),
    '',
    names.join(';'),
    sha256(body),
  ].join('\n');
  const scope = `20261125/${REGION}/execute-api/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', '20261125T020304Z', scope, sha256(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${CREDENTIALS.secretAccessKey}`, '20261125');
  const kSigning = hmac(hmac(hmac(kDate, REGION), 'execute-api'), 'aws4_request');
  const signature = createHmac('sha256', kSigning).update(stringToSign, 'utf8').digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
}

function capture() {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fake = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({ url: String(url), init: init ?? {} });
    return new Response('{}', { status: 200 });
  }) as typeof fetch;
  return { sent, fake };
}

it('signs a POST with a JSON body for execute-api exactly as SigV4 specifies', async () => {
  const { sent, fake } = capture();
  const signedFetch = createSignedFetch({
    baseUrl: `https://${HOST}/prod`,
    region: REGION,
    credentials: CREDENTIALS,
    fetch: fake,
    now: () => NOW,
  });
  const body = '{"full":true}';
  await signedFetch({ method: 'POST', path: '/v1/partners/acme-42/resync', body });

  expect(sent).toHaveLength(1);
  expect(sent[0]!.url).toBe(`https://${HOST}/prod/v1/partners/acme-42/resync`);
  const headers = sent[0]!.init.headers as Record<string, string>;
  expect(headers['x-amz-date']).toBe('20261125T020304Z');
  expect(headers['authorization']).toBe(
    expectedAuthorization(
      'POST',
      '/prod/v1/partners/acme-42/resync',
      '',
      {
        accept: 'application/json',
        'content-type': 'application/json',
        host: HOST,
        'x-amz-content-sha256': sha256(body),
        'x-amz-date': '20261125T020304Z',
      },
      body,
    ),
  );
  expect(sent[0]!.init.body).toBe(body);
});

it('signs a GET with a query string, which travels in the URL as signed', async () => {
  const { sent, fake } = capture();
  const signedFetch = createSignedFetch({
    baseUrl: `https://${HOST}/prod/`,
    region: REGION,
    credentials: CREDENTIALS,
    fetch: fake,
    now: () => NOW,
  });
  await signedFetch({ method: 'GET', path: '/v1/partners/acme-42/runs', query: { limit: '5' } });

  expect(sent[0]!.url).toBe(`https://${HOST}/prod/v1/partners/acme-42/runs?limit=5`);
  const headers = sent[0]!.init.headers as Record<string, string>;
  expect(headers['authorization']).toBe(
    expectedAuthorization(
      'GET',
      '/prod/v1/partners/acme-42/runs',
      'limit=5',
      { accept: 'application/json', host: HOST, 'x-amz-content-sha256': sha256(''), 'x-amz-date': '20261125T020304Z' },
      '',
    ),
  );
});

it('sends an unsigned request to the local stack: no credentials asked, no signature headers', async () => {
  const { sent, fake } = capture();
  const signedFetch = createSignedFetch({
    baseUrl: 'http://127.0.0.1:3000',
    region: 'local',
    unsigned: true,
    fetch: fake,
  });
  await signedFetch({ method: 'POST', path: '/v1/partners/acme-42/resync', query: { a: '1' }, body: '{}' });

  expect(sent[0]!.url).toBe('http://127.0.0.1:3000/v1/partners/acme-42/resync?a=1');
  expect(sent[0]!.init.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
  expect(sent[0]!.init.body).toBe('{}');
});
