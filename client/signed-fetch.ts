// One signed call to the API: the request SigV4-signed for `execute-api` with @smithy/signature-v4, the
// credentials from the default chain (environment, SSO, shared files, container or instance role) unless given,
// SHA-256 from node:crypto. API Gateway's IAM auth checks the signature; nothing in a browser ever signs.
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

type SignerInit = ConstructorParameters<typeof SignatureV4>[0];
export type Credentials = SignerInit['credentials'];
type Data = string | ArrayBuffer | ArrayBufferView;

const bytes = (data: Data): Buffer =>
  typeof data === 'string'
    ? Buffer.from(data, 'utf8')
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256, or HMAC-SHA-256 when constructed with a secret: the checksum the signer is given. */
export class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: Data) {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }

  update(data: Data): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }
}

export interface SignedFetchOptions {
  /** The API's base URL, stage included, e.g. `https://abc123.execute-api.eu-west-1.amazonaws.com/prod`. */
  baseUrl: string;
  region: string;
  /** Default: the AWS SDK's default credential chain. */
  credentials?: Credentials;
  /** Per call; default 25 s (API Gateway gives up at 29 s). */
  timeoutMs?: number;
  /** The local stack (`npm run dev`) checks no signature: send the requests as they are, with no credentials. */
  unsigned?: boolean;
  /** For tests: the transport and the signing time. */
  fetch?: typeof fetch;
  now?: () => Date;
}

export interface SignedRequest {
  method: string;
  /** Below the base URL, e.g. `/v1/partners/acme-42`. */
  path: string;
  query?: Record<string, string>;
  /** JSON text, sent with content-type application/json. */
  body?: string;
}

export type SignedFetch = (request: SignedRequest) => Promise<Response>;

export function createSignedFetch(options: SignedFetchOptions): SignedFetch {
  const base = new URL(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  // Unsigned (the local stack), the signer is never asked, so no credential chain is resolved.
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.unsigned
      ? { accessKeyId: '', secretAccessKey: '' }
      : (options.credentials ?? defaultProvider()),
    sha256: NodeSha256,
  });
  const send = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const timeoutMs = options.timeoutMs ?? 25_000;

  return async ({ method, path, query = {}, body }) => {
    const headers: Record<string, string> = { host: base.host, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const signed = options.unsigned
      ? { headers }
      : await signer.sign(
          {
            method,
            protocol: base.protocol,
            hostname: base.hostname,
            ...(base.port && { port: Number(base.port) }),
            path: `${basePath}${path}`,
            query,
            headers,
            ...(body !== undefined && { body }),
          },
          { signingDate: now() },
        );
    const url = new URL(`${base.origin}${basePath}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const { host: _host, ...sendHeaders } = signed.headers;
    return send(url, {
      method,
      headers: sendHeaders,
      ...(body !== undefined && { body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  };
}
