import { parseEnv } from '../../../lambdas/shared/env';
import { ALL_TABLES } from '../../../lambdas/shared/tables';

const complete = (): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(ALL_TABLES.map((t) => [t.envVar, `test-${t.id}`])),
  VENDOR_KEY_SECRET_ID: 'vendor-key',
});

describe('configuration', () => {
  it('applies defaults for the optional settings', () => {
    const env = parseEnv(complete());
    expect(env.GRADIENT_BASE_URL).toBe('https://app.usegradient.com');
    expect(env.GRADIENT_RATE_BUDGET).toBe(80);
    expect(env.TABLE_PARTNERS).toBe('test-Partners');
  });

  it('refuses a partner secret prefix that cannot make a Secrets Manager name with every valid id', () => {
    expect(() => parseEnv({ ...complete(), PARTNER_SECRET_PREFIX: 'partners:' })).toThrow(/PARTNER_SECRET_PREFIX/);
    expect(() => parseEnv({ ...complete(), PARTNER_SECRET_PREFIX: 'p'.repeat(385) })).toThrow(/PARTNER_SECRET_PREFIX/);
    expect(parseEnv({ ...complete(), PARTNER_SECRET_PREFIX: 'p'.repeat(384) }).PARTNER_SECRET_PREFIX).toHaveLength(384);
  });

  it('reads RESYNC_MAX_CLOSED_PERIODS (default 1) and refuses one that is not a whole number from 0 to 120', () => {
    expect(parseEnv(complete()).RESYNC_MAX_CLOSED_PERIODS).toBe(1);
    expect(parseEnv({ ...complete(), RESYNC_MAX_CLOSED_PERIODS: '0' }).RESYNC_MAX_CLOSED_PERIODS).toBe(0);
    for (const bad of ['-1', '1.5', '121', 'two']) {
      expect(() => parseEnv({ ...complete(), RESYNC_MAX_CLOSED_PERIODS: bad })).toThrow(/RESYNC_MAX_CLOSED_PERIODS/);
    }
  });

  it('lists every missing or malformed variable in one error', () => {
    const source = complete();
    delete source.TABLE_RUNS;
    source.GRADIENT_RATE_BUDGET = '500';
    expect(() => parseEnv(source)).toThrow(/TABLE_RUNS.*GRADIENT_RATE_BUDGET|GRADIENT_RATE_BUDGET.*TABLE_RUNS/);
  });
});
