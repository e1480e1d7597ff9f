// Test connection is rate limited per partner id: with a key in the body it is a key-check oracle on the vendor
// key, for a partner id that need not exist.
import { CONNECTION_TEST_LIMIT } from '../../../../lambdas/shared/settings';
import { harness, PARTNER_KEY } from './support';

const test = (h: ReturnType<typeof harness>, partnerId: string, partnerApiKey = PARTNER_KEY) =>
  h.call('POST', `/v1/partners/${partnerId}/connection/test`, { body: { partnerApiKey } });

describe('POST /v1/partners/{partnerId}/connection/test, rate limited', () => {
  it(`answers 429 with Retry-After past ${CONNECTION_TEST_LIMIT.max} tests of one partner id in a window, without asking Gradient`, async () => {
    const h = harness();
    const gradient = h.gradientFor();
    // Start of a window, so the whole window is ahead.
    h.deps.clock.ms = Date.parse('2026-11-26T02:00:00.000Z');
    for (let i = 0; i < CONNECTION_TEST_LIMIT.max; i++) {
      expect((await test(h, 'no-such-msp', `pk_guess_${i}`)).status).toBe(200);
    }
    h.deps.clock.ms += 15_000;
    const refused = await test(h, 'no-such-msp');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe(String(CONNECTION_TEST_LIMIT.windowSeconds - 15));
    expect(refused.body.error).toMatchObject({ code: 'too_many_requests' });
    expect(refused.body.error.message).toMatch(/try again in 45 s/);
    expect(refused.raw).not.toContain(PARTNER_KEY);
    expect(gradient.calls).toHaveLength(0);
  });

  it('counts each partner id apart, and opens again with the next window', async () => {
    const h = harness();
    h.gradientFor();
    for (let i = 0; i < CONNECTION_TEST_LIMIT.max; i++) await test(h, 'msp-1');
    expect((await test(h, 'msp-1')).status).toBe(429);
    expect((await test(h, 'msp-2')).status).toBe(200);
    h.deps.clock.ms += CONNECTION_TEST_LIMIT.windowSeconds * 1000;
    expect((await test(h, 'msp-1')).status).toBe(200);
  });

  it('counts tests of the stored key too', async () => {
    const h = harness();
    h.gradientFor();
    expect((await h.save('msp-1')).status).toBe(200);
    for (let i = 0; i < CONNECTION_TEST_LIMIT.max; i++) {
      expect((await h.call('POST', '/v1/partners/msp-1/connection/test')).body.ok).toBe(true);
    }
    expect((await h.call('POST', '/v1/partners/msp-1/connection/test')).status).toBe(429);
  });
});
