// The plumbing the local HTTP servers share (the API server, the Gradient emulator, the Secrets Manager
// emulator): listen on 127.0.0.1, read a request body up to a size cap, send a reply with its length.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'aborted' };

/**
 * The request body, or why there is none: over `limit` bytes (declared or sent) or aborted by the client.
 * Past the limit the rest is read and dropped, so the caller can still answer.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve({ ok: false, reason: 'too_large' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) settle({ ok: false, reason: 'too_large' });
      else chunks.push(chunk);
    });
    req.on('end', () => settle({ ok: true, body: Buffer.concat(chunks) }));
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
