// Every request body the local API server refuses gets its JSON answer, and the client finishes its write
// first: a body past the cap is read to its end and dropped (413), a malformed one is answered 400, a request
// Node cannot parse too. The same server every test and every newcomer talks to.
import { request } from 'node:http';
import { connect } from 'node:net';
import { type ApiServer, startApiServer } from '../../../local/api-server';
import { listen, readBody } from '../../../local/http';
import { harness } from '../handlers/api/support';

let server: ApiServer;

beforeAll(async () => {
  const h = harness();
  server = await startApiServer({ port: 0, host: '127.0.0.1', handler: h.handler as never });
});
afterAll(() => server.close());

interface Answer {
  status: number;
  body: { error?: { code: string } };
  /** Whether writing the body failed (EPIPE, ECONNRESET): the server closed while the client was sending. */
  writeError?: string;
}

/**
 * POSTs `total` bytes in `chunk`-byte writes, without a content-length;
 * settles once the answer is read and the client's write has either finished or failed.
 */
function sendInChunks(path: string, total: number, chunk: number, first = '{"snapshots":"'): Promise<Answer> {
  return new Promise((resolve) => {
    let writeError: string | undefined;
    let answer: Omit<Answer, 'writeError'> | undefined;
    let written = false;
    const settle = () => {
      if (answer && written) resolve({ ...answer, ...(writeError && { writeError }) });
    };
    const req = request(
      `${server.url}${path}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          answer = { status: res.statusCode ?? 0, body: JSON.parse(text) };
          settle();
        });
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => {
      writeError = e.code ?? e.message;
      written = true;
      answer ??= { status: 0, body: {} };
      settle();
    });
    req.on('close', () => {
      if (written && answer) return;
      writeError ??= 'closed before the body was sent';
      written = true;
      answer ??= { status: 0, body: {} };
      settle();
    });
    req.on('finish', () => {
      written = true;
      settle();
    });
    let sent = 0;
    const piece = Buffer.alloc(chunk, 'x');
    // One write per turn of the event loop, as a client that produces its body as it goes: the server's answer
    // comes while the client is still sending.
    const next = () => {
      if (writeError) return;
      if (sent >= total) return void req.end();
      const part = sent === 0 ? Buffer.concat([Buffer.from(first), piece]).subarray(0, chunk) : piece;
      const size = Math.min(part.length, total - sent);
      sent += size;
      if (req.write(part.subarray(0, size))) setTimeout(next, 1);
      else req.once('drain', () => setTimeout(next, 1));
    };
    next();
  });
}

describe('the local API server on request bodies', () => {
  it('answers a 3 MB body sent in 64 KiB writes with its JSON 413, every time in 20 tries', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 20; i++) answers.push(await sendInChunks('/v1/partners/msp-1/usage', 3 * 1024 * 1024, 65_536));
    expect(answers.map((a) => [a.status, a.body.error?.code, a.writeError])).toEqual(
      Array.from({ length: 20 }, () => [413, 'body_too_large', undefined]),
    );
  });

  it('answers a body one byte past the cap with 413, declared or not, and one at the cap reaches the handler', async () => {
    const cap = 256 * 1024;
    expect((await sendInChunks('/v1/partners/msp-1/usage', cap + 1, 4096)).status).toBe(413);
    const declared = await fetch(`${server.url}/v1/partners/msp-1/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(cap + 1),
    });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as Answer['body']).error?.code).toBe('body_too_large');
    // At the cap the body is the handler's to judge: not JSON, so 400 invalid_json.
    const atCap = await sendInChunks('/v1/partners/msp-1/usage', cap, 4096);
    expect([atCap.status, atCap.body.error?.code]).toEqual([400, 'invalid_json']);
  });

  it('answers a request Node cannot parse with a JSON 400', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => {
        socket.write('POST /v1/partners/msp-1/usage HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n');
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (c: string) => {
        text += c;
      });
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(raw).toMatch(/content-type: application\/json/);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'bad_request', message: 'malformed HTTP request' },
    });
  });
});

describe('readBody', () => {
  it('drains a body past its limit to the end, and stops draining past the drain limit', async () => {
    const results: unknown[] = [];
    const local = await listen(async (req, res) => {
      results.push(await readBody(req, 10, 1000));
      res.end();
    });
    try {
      for (const size of [10, 11, 1000, 5000]) {
        await fetch(local.url, { method: 'POST', body: 'x'.repeat(size) }).catch(() => undefined);
      }
    } finally {
      await local.close();
    }
    expect(results).toEqual([
      { ok: true, body: Buffer.from('x'.repeat(10)) },
      { ok: false, reason: 'too_large', drained: true },
      { ok: false, reason: 'too_large', drained: true },
      { ok: false, reason: 'too_large', drained: false },
    ]);
  });
});
