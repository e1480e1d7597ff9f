// The plumbing the local HTTP servers share (the API server, the Gradient emulator, the Secrets Manager
// emulator): listen on 127.0.0.1, read a request body up to a size cap (and drain past it), send a reply with
// its length; every refusal, a malformed request's too, answers JSON.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

export type Headers = Record<string, string | number | string[]>;

export interface LocalServer {
  url: string;
  port: number;
  /** Stops listening and drops every connection, hanging requests included; safe to call twice. */
  close(): Promise<void>;
}

/** Serves `handle` on `host` (127.0.0.1 unless told) at `port` (0 picks a free one). */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
  options: { port?: number; host?: string } = {},
): Promise<LocalServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(handle);
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

/**
 * A request Node's parser refused (malformed framing, headers too large, too slow) gets a JSON answer like every
 * other refusal, instead of Node's bare status line, then the connection closes: the rest of it cannot be read.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'request headers too large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request was not received in time']
        : [400, 'bad_request', 'malformed HTTP request'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export type BodyResult =
  | { ok: true; body: Buffer }
  /** `drained`: the client finished sending, so an answer reaches it; otherwise close the connection after it. */
  | { ok: false; reason: 'too_large'; drained: boolean }
  | { ok: false; reason: 'aborted' };

/**
 * How much of a body past its cap is read and dropped so the client can finish its write and read the answer
 * (answering mid-write breaks its pipe). Past this the connection is closed after the answer instead.
 */
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * The request body, or why there is none: over `limit` bytes (declared or sent) or aborted by the client. A body
 * past the limit is read to its end and dropped (up to `drainLimit` bytes in all), then answered as too large.
 */
export function readBody(req: IncomingMessage, limit: number, drainLimit = DRAIN_LIMIT_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const declared = Number(req.headers['content-length']);
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    if (Number.isFinite(declared) && declared > drainLimit) {
      req.resume();
      settle({ ok: false, reason: 'too_large', drained: false });
      return;
    }
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > drainLimit) settle({ ok: false, reason: 'too_large', drained: false });
      else if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () =>
      settle(tooLarge ? { ok: false, reason: 'too_large', drained: true } : { ok: true, body: Buffer.concat(chunks) }),
    );
    req.on('error', () => settle({ ok: false, reason: 'aborted' }));
    req.on('close', () => settle({ ok: false, reason: 'aborted' }));
  });
}

/** Writes the whole reply with its content-length; a reply to a destroyed socket is dropped. */
export function send(res: ServerResponse, status: number, body: string | Buffer, headers: Headers = {}): void {
  if (res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...headers, 'content-length': bytes.length });
  res.end(bytes);
}

/** `send` with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  contentType = 'application/json; charset=utf-8',
  headers: Headers = {},
): void {
  send(res, status, JSON.stringify(value), { 'content-type': contentType, ...headers });
}
