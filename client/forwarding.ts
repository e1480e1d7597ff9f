// An example forwarding route for the vendor's backend (node:http; the same few lines fit Express or a Lambda):
// the console card calls `api-base` — this route — with the user's session; the route checks that the user may
// act for the partner, then forwards exactly the card's calls to this API, signed, and relays the answer.
// Only the MSP console's routes pass (the card's, the statement's, the unmapped list); the body is relayed as is (the key inside it is neither logged nor kept).
//
//   const client = new GradientSyncClient({ baseUrl: process.env.BILLING_SYNC_API_URL!, region: 'eu-west-1' });
//   const forward = cardForwarder({ client, prefix: '/gradient', authorize: (req, partnerId) => mayManage(req, partnerId) });
//   createServer(async (req, res) => { if (!(await forward(req, res))) serveTheRestOfTheConsole(req, res); });
//
// and in the console page: <gradient-integration-card partner-id="acme-42" api-base="/gradient">.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ID_PATTERN_BODY } from '../lambdas/core/model';
import type { GradientSyncClient } from './index';

/**
 * The MSP's console calls, per partner: the card's (console/src/api.ts) and the statement page's (its JSON, and
 * the CSV behind Download CSV), the unmapped list and the alerts sent. Method and path below /v1/partners/{partnerId}. The fleet
 * (`GET /v1/partners`) is the vendor's partner team's page, not an MSP's: it has no partner to authorize, so it
 * is not forwarded here.
 */
const CARD_ROUTES: Array<[string, RegExp]> = [
  ['GET', /^$/],
  // The card's alerts switch: the partner's own settings.
  ['PATCH', /^$/],
  ['POST', /^\/connection\/test$/],
  ['PUT', /^\/connection$/],
  ['DELETE', /^\/connection$/],
  ['POST', /^\/mappings\/sync$/],
  ['GET', /^\/mappings$/],
  ['POST', /^\/resync$/],
  ['GET', /^\/runs$/],
  ['GET', new RegExp(`^/runs/${ID_PATTERN_BODY}$`)],
  ['GET', /^\/statements\/\d{4}-(0[1-9]|1[0-2])$/],
  ['GET', /^\/unmapped$/],
  ['GET', /^\/alerts$/],
];
const PARTNER_PATH = new RegExp(`^/v1/partners/(${ID_PATTERN_BODY})(/.*)?$`);
const MAX_BODY_BYTES = 16 * 1024;

export interface ForwarderOptions {
  client: Pick<GradientSyncClient, 'send'>;
  /** The vendor's own check: may the signed-in user of this request manage this partner's integration? */
  authorize(req: IncomingMessage, partnerId: string): Promise<boolean>;
  /** The path the card's `api-base` points to (default: none, the card calls /v1/… on this origin). */
  prefix?: string;
}

const reply = (res: ServerResponse, status: number, code: string, message: string) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ error: { code, message } }));
};

/** A handler that answers the card's calls and resolves false for any other request (left to the caller). */
export function cardForwarder(options: ForwarderOptions) {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://vendor.invalid');
    if (!url.pathname.startsWith(`${prefix}/v1/`)) return false;
    const path = url.pathname.slice(prefix.length);
    const match = PARTNER_PATH.exec(path);
    const method = req.method ?? 'GET';
    if (!match || !CARD_ROUTES.some(([m, p]) => m === method && p.test(match[2] ?? ''))) {
      reply(res, 404, 'not_found', 'no such route');
      return true;
    }
    if (!(await options.authorize(req, match[1]!))) {
      reply(res, 403, 'forbidden', 'you may not manage this integration');
      return true;
    }
    const body = await readBody(req);
    if (body === undefined) {
      reply(res, 400, 'body_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
      return true;
    }
    const answer = await options.client.send({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      ...(body.length > 0 && { body }),
    });
    const type = answer.headers.get('content-type');
    res.writeHead(answer.status, type ? { 'content-type': type } : {});
    res.end(Buffer.from(await answer.arrayBuffer()));
    return true;
  };
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
