// The process logger redacts secret-looking fields in the JSON it writes, for direct `logger.*` calls too.
import { createLogger, logger } from '../../../lambdas/shared/observability';

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
