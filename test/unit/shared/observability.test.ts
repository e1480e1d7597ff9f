// The process logger and the Log port redact secret-looking fields and key text, for direct `logger.*` calls too.

import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { createGradientClient, gradientToken } from '../../../lambdas/adapters/gradient-client';
import {
  createLogger,
  logger,
  metricsUtilityLogger,
  REDACT_MAX_DEPTH,
  redact,
} from '../../../lambdas/shared/observability';
import { forgetSecrets, rememberSecret } from '../../../lambdas/shared/secret-text';

const KEY = 'pk-live-7f3a9c2e5b1d';

/** What the loggers write to stdout and stderr during one test. */
let chunks: string[] = [];
beforeEach(() => {
  chunks = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0);
  }
});
afterEach(() => jest.restoreAllMocks());

/** Everything written while `fn` runs. */
function written(fn: () => void): string {
  const from = chunks.length;
  fn();
  return chunks.slice(from).join('');
}

describe('the process logger', () => {
  const level = logger.getLevelName();
  beforeAll(() => logger.setLogLevel('DEBUG'));
  afterAll(() => logger.setLogLevel(level));

  it('redacts a partner key passed straight to logger.info', () => {
    const text = written(() => logger.info('x', { partnerApiKey: KEY, partnerId: 'msp-1' }));
    expect(text).not.toContain(KEY);
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line['partnerApiKey']).toBe('[redacted]');
    expect(line['partnerId']).toBe('msp-1');
    expect(line['message']).toBe('x');
  });

  it('redacts secret fields at any depth, inside objects and arrays, at every level', () => {
    const text = written(() => {
      logger.debug('nested', { request: { headers: { Authorization: `Bearer ${KEY}` }, body: { apiKey: KEY } } });
      logger.warn('listed', { attempts: [{ token: KEY, status: 401 }, { secret: KEY }] });
      logger.error('failed', { cause: { deeper: { still: { password: KEY, kept: 'yes' } } } });
    });
    expect(text).not.toContain(KEY);
    const [nested, listed, failed] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(nested.request).toEqual({ headers: { Authorization: '[redacted]' }, body: { apiKey: '[redacted]' } });
    expect(listed.attempts).toEqual([{ token: '[redacted]', status: 401 }, { secret: '[redacted]' }]);
    expect(failed.cause.deeper.still).toEqual({ password: '[redacted]', kept: 'yes' });
  });

  it('redacts keys appended to every line', () => {
    const text = written(() => {
      logger.appendKeys({ vendorApiKey: KEY });
      try {
        logger.info('with a persistent key');
      } finally {
        logger.removeKeys(['vendorApiKey']);
      }
    });
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text).vendorApiKey).toBe('[redacted]');
  });

  it('still writes an error passed as a field, with its name and message', () => {
    const text = written(() => logger.error('boom', { error: new TypeError('bad input') }));
    const line = JSON.parse(text);
    expect(line.error).toEqual(expect.objectContaining({ name: 'TypeError', message: 'bad input' }));
  });
});

describe('createLogger', () => {
  it('redacts even when the caller brings its own replacer', () => {
    const own = createLogger({ serviceName: 'obs-test', logLevel: 'INFO', jsonReplacerFn: (_k, v) => v });
    const text = written(() => own.info('x', { partnerApiKey: KEY }));
    expect(text).not.toContain(KEY);
    expect(JSON.parse(text).partnerApiKey).toBe('[redacted]');
  });
});

describe('redact (the Log port)', () => {
  afterEach(() => forgetSecrets());

  it('cuts off what is nested past the depth limit instead of returning it raw', () => {
    let deep: Record<string, unknown> = { value: KEY };
    for (let i = 0; i < REDACT_MAX_DEPTH + 3; i++) deep = { next: deep };
    const text = JSON.stringify(redact({ deep }));
    expect(text).not.toContain(KEY);
    expect(text).toContain('[truncated]');
    // Up to the limit everything is kept.
    expect(redact({ a: { b: { c: 'kept' } } })).toEqual({ a: { b: { c: 'kept' } } });
  });

  it('masks x-api-key, partnerKey, vendorKey and similar fields', () => {
    const fields = {
      headers: { 'x-api-key': KEY, 'X-Api-Key': KEY, cookie: KEY, accept: 'application/json' },
      partnerKey: KEY,
      vendor_key: KEY,
      credentials: KEY,
    };
    expect(redact(fields)).toEqual({
      headers: {
        'x-api-key': '[redacted]',
        'X-Api-Key': '[redacted]',
        cookie: '[redacted]',
        accept: 'application/json',
      },
      partnerKey: '[redacted]',
      vendor_key: '[redacted]',
      credentials: '[redacted]',
    });
  });

  it('masks a key this process handled inside any string and error message', () => {
    rememberSecret(KEY);
    const out = redact({ note: `sent ${KEY} twice`, error: new Error(`socket closed while sending ${KEY}`) });
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(out).toEqual({
      note: 'sent [redacted] twice',
      error: { name: 'Error', message: 'socket closed while sending [redacted]' },
    });
  });

  it('masks labelled key text of any shape inside a string, e.g. a request body', () => {
    const unknownShape = 'Zq9!unknown-shape-of-key';
    const body = JSON.stringify({ partnerApiKey: unknownShape, roundingPolicy: 'none' });
    const out = redact({ body, header: `Authorization: Bearer ${unknownShape}`, raw: `x-api-key=${unknownShape}` });
    expect(JSON.stringify(out)).not.toContain(unknownShape);
    expect((out as { body: string }).body).toBe('{"partnerApiKey":"[redacted]","roundingPolicy":"none"}');
  });

  it('masks the keys of every Gradient client built, and its GRADIENT-TOKEN', () => {
    const vendor = 'vendor-key-for-redaction-0001';
    createGradientClient({ baseUrl: 'http://127.0.0.1:9', vendorApiKey: vendor, partnerApiKey: KEY, timeoutMs: 1 });
    const token = gradientToken(vendor, KEY);
    const text = JSON.stringify(redact({ message: `${vendor} ${KEY} ${token}` }));
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(vendor);
    expect(text).not.toContain(token);
  });
});

describe('the process logger on key text', () => {
  afterEach(() => forgetSecrets());

  it('masks a remembered key in the message and in string fields of a direct call', () => {
    const level = logger.getLevelName();
    logger.setLogLevel('INFO');
    try {
      rememberSecret(KEY);
      const text = written(() => logger.info(`rejected ${KEY}`, { detail: `key ${KEY}` }));
      expect(text).not.toContain(KEY);
      expect(JSON.parse(text)).toMatchObject({ message: 'rejected [redacted]', detail: 'key [redacted]' });
    } finally {
      logger.setLogLevel(level);
    }
  });
});

describe('the metrics utility', () => {
  it('publishes an empty buffer without a warning line at the default level, and says so at debug', () => {
    const quiet = createLogger({ serviceName: 'test', logLevel: 'INFO' });
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test', logger: metricsUtilityLogger(quiet) });
    expect(written(() => metrics.publishStoredMetrics())).toBe('');

    quiet.setLogLevel('DEBUG');
    expect(written(() => metrics.publishStoredMetrics())).toContain('No application metrics to publish');
  });

  it('still writes the EMF line of a buffer with metrics', () => {
    // The tests run with metrics disabled (test/setup-env.ts): enabled for this instance only.
    const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    const metrics = new Metrics({ namespace: 'Test', serviceName: 'test', logger: metricsUtilityLogger() });
    process.env.POWERTOOLS_METRICS_DISABLED = disabled;
    metrics.addMetric('GradientRequests', MetricUnit.Count, 2);
    const emf = JSON.parse(written(() => metrics.publishStoredMetrics())) as Record<string, unknown>;
    expect(emf['GradientRequests']).toBe(2);
  });
});
